/// The JSON forms of the well-known types (protobuf's JSON mapping table): a Timestamp is an
/// RFC 3339 string, a Duration `"1.5s"`, a FieldMask `"a.b,c"`, Struct/Value/ListValue are
/// plain JSON, a wrapper is its value, and an Any is its content's object with `"@type"`.
extension JSONPrinter {
    mutating func printWellKnown(
        _ kind: WellKnownType,
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) {
        switch kind {
        case .timestamp:
            let (seconds, nanos) = try secondsAndNanos(schema, bytes)
            out.append(UInt8(ascii: "\""))
            try out.bytes.append(contentsOf: WellKnownJSON.timestampText(seconds: seconds, nanos: nanos).utf8)
            out.append(UInt8(ascii: "\""))
        case .duration:
            let (seconds, nanos) = try secondsAndNanos(schema, bytes)
            out.append(UInt8(ascii: "\""))
            try out.bytes.append(contentsOf: WellKnownJSON.durationText(seconds: seconds, nanos: nanos).utf8)
            out.append(UInt8(ascii: "\""))
        case .fieldMask:
            let paths = try withEntries(schema, bytes) { (_, entries) throws(JSONEncodingError) -> [String] in
                var paths: [String] = []
                for entry in entries {
                    let text = JSONPrinter.slice(bytes, entry).bindMemory(to: UInt8.self)
                    guard UTF8Validation.isValid(text) else {
                        throw JSONEncodingError(.malformedBinary, "a path is not valid UTF-8")
                    }
                    paths.append(String(decoding: text, as: UTF8.self))
                }
                return paths
            }
            out.appendString(try WellKnownJSON.fieldMaskText(paths))
        case .struct:
            let before = out.bytes.count
            try printField(number: 1, of: schema, bytes)
            if out.bytes.count == before { out.append("{}") }
        case .listValue:
            let before = out.bytes.count
            try printField(number: 1, of: schema, bytes)
            if out.bytes.count == before { out.append("[]") }
        case .value:
            try printStructValue(schema, bytes)
        case .wrapper:
            guard let index = schema.fieldIndex(number: 1) else { return }
            let field = schema.fields[index]
            let last = try withEntries(schema, bytes) { (_, entries) throws(JSONEncodingError) in entries.last }
            if let last {
                try printScalarValue(field, last, bytes)
            } else {
                try printDefaultScalar(field)
            }
        case .any:
            try printAny(schema, bytes)
        }
    }

    private mutating func secondsAndNanos(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) -> (Int64, Int32) {
        try withEntries(schema, bytes) { (_, entries) throws(JSONEncodingError) -> (Int64, Int32) in
            var seconds: Int64 = 0
            var nanos: Int32 = 0
            for entry in entries {
                if schema.fields[Int(entry.field)].number == 1 {
                    seconds = Int64(bitPattern: entry.scalar)
                } else {
                    nanos = Int32(truncatingIfNeeded: entry.scalar)
                }
            }
            return (seconds, nanos)
        }
    }

    private mutating func printStructValue(
        _ schema: MessageSchema,
        _ bytes: UnsafeRawBufferPointer
    ) throws(JSONEncodingError) {
        let found = try withEntries(schema, bytes) { (_, entries) throws(JSONEncodingError) -> [Entry] in
            // `kind` is a oneof: the member that came last is the one set.
            guard let last = entries.max(by: { $0.start < $1.start || ($0.start == $1.start && $0.end < $1.end) })
            else { return [] }
            let kind = entries.filter { $0.field == last.field }
            return kind
        }
        guard let last = found.last else {
            out.append("null")  // no kind set: python and C++ print null
            return
        }
        let field = schema.fields[Int(last.field)]
        switch field.number {
        case 1: out.append("null")
        case 2:
            let number = Double(bitPattern: last.scalar)
            guard number.isFinite else {
                throw JSONEncodingError(.invalidValue, "Value.number_value \(number) has no JSON number form")
            }
            out.append(number)
        case 3, 4:
            try printScalarValue(field, last, bytes)
        default:
            guard let message = field.message else { return }
            if found.count == 1 {
                try printMessage(message, JSONPrinter.slice(bytes, last))
            } else {
                var merged: [UInt8] = []
                for entry in found { merged.append(contentsOf: JSONPrinter.slice(bytes, entry)) }
                try merged.withUnsafeBytesTyped { (buffer) throws(JSONEncodingError) in
                    try printMessage(message, buffer)
                }
            }
        }
    }

    private mutating func printAny(_ schema: MessageSchema, _ bytes: UnsafeRawBufferPointer) throws(JSONEncodingError) {
        let (url, value) = try withEntries(schema, bytes) {
            (_, entries) throws(JSONEncodingError) -> (String, [UInt8]) in
            var url = ""
            var value: [UInt8] = []
            for entry in entries {
                let content = JSONPrinter.slice(bytes, entry)
                if schema.fields[Int(entry.field)].number == 1 {
                    guard UTF8Validation.isValid(content.bindMemory(to: UInt8.self)) else {
                        throw JSONEncodingError(.malformedBinary, "Any.type_url is not valid UTF-8")
                    }
                    url = String(decoding: content, as: UTF8.self)
                } else {
                    value = Array(content)
                }
            }
            return (url, value)
        }
        if url.isEmpty && value.isEmpty {
            out.append("{}")
            return
        }
        guard let content = options.typeRegistry.schema(forTypeURL: url) else {
            throw JSONEncodingError(.unknownAnyType, "\"\(url)\" is not in the type registry")
        }
        out.append("{\"@type\":")
        out.appendString(url)
        try value.withUnsafeBytesTyped { (buffer) throws(JSONEncodingError) in
            if content.wellKnown != nil {
                out.append(",\"value\":")
                try printMessage(content, buffer)
            } else {
                var first = false
                try printFields(content, buffer, first: &first)
            }
        }
        out.append(UInt8(ascii: "}"))
    }
}

/// The text forms of Timestamp, Duration and FieldMask, shared by JSON's printer and parser.
package enum WellKnownJSON {
    /// Seconds of 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z, the range RFC 3339 years cover.
    static let minTimestampSeconds: Int64 = -62_135_596_800
    static let maxTimestampSeconds: Int64 = 253_402_300_799
    /// ±10,000 years, the range duration.proto documents.
    static let maxDurationSeconds: Int64 = 315_576_000_000

    static func timestampText(seconds: Int64, nanos: Int32) throws(JSONEncodingError) -> String {
        guard seconds >= minTimestampSeconds, seconds <= maxTimestampSeconds else {
            throw JSONEncodingError(.invalidValue, "Timestamp seconds \(seconds) is outside years 0001 to 9999")
        }
        guard nanos >= 0, nanos < 1_000_000_000 else {
            throw JSONEncodingError(.invalidValue, "Timestamp nanos \(nanos) is outside 0 to 999999999")
        }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        text += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += fraction(nanos) + "Z"
        return text
    }

    static func durationText(seconds: Int64, nanos: Int32) throws(JSONEncodingError) -> String {
        guard abs(seconds) <= maxDurationSeconds, abs(nanos) < 1_000_000_000,
            !(seconds > 0 && nanos < 0), !(seconds < 0 && nanos > 0)
        else {
            throw JSONEncodingError(.invalidValue, "Duration \(seconds)s \(nanos)ns is out of range or mixes signs")
        }
        let sign = seconds < 0 || nanos < 0 ? "-" : ""
        return sign + String(seconds.magnitude) + fraction(Int32(nanos.magnitude)) + "s"
    }

    /// Paths joined by commas, each in lowerCamelCase; a path that would not read back the same
    /// (an upper-case letter, or `_` not followed by a lower-case letter) is an error.
    static func fieldMaskText(_ paths: [String]) throws(JSONEncodingError) -> String {
        var parts: [String] = []
        for path in paths {
            var camel: [UInt8] = []
            var upperNext = false
            for byte in path.utf8 {
                if byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") {
                    throw JSONEncodingError(.invalidValue, "FieldMask path \"\(path)\" has an upper-case letter")
                }
                if upperNext {
                    guard byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") else {
                        throw JSONEncodingError(
                            .invalidValue,
                            "FieldMask path \"\(path)\" has \"_\" before a character that is not a lower-case letter"
                        )
                    }
                    camel.append(byte - 32)
                    upperNext = false
                } else if byte == UInt8(ascii: "_") {
                    upperNext = true
                } else {
                    camel.append(byte)
                }
            }
            if upperNext { throw JSONEncodingError(.invalidValue, "FieldMask path \"\(path)\" ends with \"_\"") }
            parts.append(String(decoding: camel, as: UTF8.self))
        }
        return parts.joined(separator: ",")
    }

    /// Year, month, day of the proleptic Gregorian calendar (days from 1970-01-01).
    static func civilDate(daysSinceEpoch days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar.
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let year = month <= 2 ? year - 1 : year
        let era = (year >= 0 ? year : year - 399) / 400
        let yearOfEra = year - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `.ddd`, `.dddddd` or `.ddddddddd` as nanos need, or nothing for whole seconds.
    static func fraction(_ nanos: Int32) -> String {
        guard nanos != 0 else { return "" }
        if nanos % 1_000_000 == 0 { return "." + pad(Int64(nanos / 1_000_000), 3) }
        if nanos % 1000 == 0 { return "." + pad(Int64(nanos / 1000), 6) }
        return "." + pad(Int64(nanos), 9)
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
