extension Message {
    /// The value of a singular extension, decoded from ``WireFields/unknownFields``; `nil` when absent (or
    /// when the stored bytes do not decode as the extension's type). Setting replaces every
    /// occurrence of the extension's field number; setting `nil` removes them.
    public subscript<Value>(extension field: ExtensionField<Self, Value>) -> Value? {
        get {
            var value: Value? = nil
            let ok = unknownFields.forEachField(number: field.isMessageSetItem ? 1 : field.number) {
                (reader, tag) throws(DecodingError) in
                try field.read(&reader, tag, &value)
            }
            return ok ? value : nil
        }
        set {
            var writer = WireWriter()
            if let newValue { field.write(newValue, &writer, field.number) }
            if field.isMessageSetItem {
                unknownFields.replaceFields(number: 1, messageSetTypeID: field.number, with: writer.bytes())
            } else {
                unknownFields.replaceFields(number: field.number, with: writer.bytes())
            }
        }
    }

    /// The elements of a repeated extension; setting replaces them all.
    public subscript<Element>(extension field: RepeatedExtensionField<Self, Element>) -> [Element] {
        get {
            var values: [Element] = []
            let ok = unknownFields.forEachField(number: field.number) { (reader, tag) throws(DecodingError) in
                try field.read(&reader, tag, &values)
            }
            return ok ? values : []
        }
        set {
            var writer = WireWriter()
            field.write(newValue, &writer, field.number)
            unknownFields.replaceFields(number: field.number, with: writer.bytes())
        }
    }

    /// Whether the message holds the extension's field number at all.
    public func hasExtension<Value>(_ field: ExtensionField<Self, Value>) -> Bool {
        field.isMessageSetItem ? self[extension: field] != nil : unknownFields.containsField(number: field.number)
    }
}

extension UnknownFields {
    /// Calls `body` with a reader positioned after the tag of each field numbered `number`, in
    /// order; `body` must consume exactly that field's value. Returns `false` if the bytes do
    /// not decode.
    func forEachField(number: Int, _ body: (inout WireReader, FieldTag) throws(DecodingError) -> Void) -> Bool {
        storage.withUnsafeBytes { buffer in
            var reader = WireReader(buffer, options: DecodingOptions())
            do throws(DecodingError) {
                while let tag = try reader.nextTag() {
                    if tag.fieldNumber == number { try body(&reader, tag) } else { try reader.skipField(tag) }
                }
                return true
            } catch {
                return false
            }
        }
    }

    func containsField(number: Int) -> Bool {
        var found = false
        _ = forEachField(number: number) { (reader, tag) throws(DecodingError) in
            found = true
            try reader.skipField(tag)
        }
        return found
    }

    /// Drops every field numbered `number` (for MessageSets: every item of `messageSetTypeID`)
    /// and appends `encoded` (complete fields, tags included).
    mutating func replaceFields(number: Int, messageSetTypeID: Int? = nil, with encoded: [UInt8]) {
        var kept: [UInt8] = []
        kept.reserveCapacity(storage.count + encoded.count)
        let complete = storage.withUnsafeBytes { buffer -> Bool in
            var reader = WireReader(buffer, options: DecodingOptions())
            do throws(DecodingError) {
                while let tag = try reader.nextTag() {
                    let start = reader.tagStart
                    var matches = tag.fieldNumber == number
                    if matches, let typeID = messageSetTypeID {
                        matches = try reader.readMessageSetItem(tag, typeID: typeID) != nil
                    } else {
                        try reader.skipField(tag)
                    }
                    if !matches {
                        kept.append(contentsOf: UnsafeBufferPointer(start: start, count: reader.position - start))
                    }
                }
                return true
            } catch {
                return false
            }
        }
        // Unknown fields that do not parse are kept whole rather than cut at an arbitrary byte.
        if !complete { kept = storage }
        storage = kept + encoded
    }
}
