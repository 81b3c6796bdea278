import FerryCodec

/// Finds the first difference between two descriptor sets and names where it is, so that an
/// oracle failure reads `file x.proto: message_type[2].field[0]: ... differs`.
enum DescriptorDiff {
    static func firstDifference(
        _ ours: Google_Protobuf_FileDescriptorSet,
        _ theirs: Google_Protobuf_FileDescriptorSet
    ) -> String? {
        if ours.serializedBytes() == theirs.serializedBytes() { return nil }
        let ourNames = ours.file.map { $0.name ?? "?" }
        let theirNames = theirs.file.map { $0.name ?? "?" }
        if ourNames != theirNames { return "file lists differ:\n  ferry: \(ourNames)\n  protoc: \(theirNames)" }
        for (a, b) in zip(ours.file, theirs.file) where a != b {
            return "file \(a.name ?? "?"): " + (difference(a, b) ?? "bytes differ")
        }
        return "serialized bytes differ (field order or unknown fields)"
    }

    static func difference(
        _ a: Google_Protobuf_FileDescriptorProto,
        _ b: Google_Protobuf_FileDescriptorProto
    ) -> String? {
        for (index, (x, y)) in zip(a.messageType, b.messageType).enumerated() where x != y {
            return "message_type[\(index)] \(x.name ?? "")." + (difference(x, y) ?? "")
        }
        for (index, (x, y)) in zip(a.extension, b.extension).enumerated() where x != y {
            return "extension[\(index)]: ferry \(x) vs protoc \(y)"
        }
        if a.options != b.options {
            return "options: " + bytesDifference(a.options?.serializedBytes() ?? [], b.options?.serializedBytes() ?? [])
        }
        var a2 = a
        var b2 = b
        a2.messageType = []
        b2.messageType = []
        a2.extension = []
        b2.extension = []
        return "\(a2) vs \(b2)"
    }

    /// Where two encodings first differ, with some bytes of context.
    static func bytesDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let index = zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(a.count, b.count)
        let lower = max(0, index - 8)
        return
            """
            bytes differ at offset \(index) (ferry \(a.count) bytes, protoc \(b.count)): ferry \
            \(Array(a[lower..<min(a.count, index + 24)])) vs protoc \(Array(b[lower..<min(b.count, index + 24)]))
            """
    }

    static func difference(_ a: Google_Protobuf_DescriptorProto, _ b: Google_Protobuf_DescriptorProto) -> String? {
        if a.field.count != b.field.count { return "field counts \(a.field.count) vs \(b.field.count)" }
        for (index, (x, y)) in zip(a.field, b.field).enumerated() where x != y {
            return "field[\(index)] \(x.name ?? ""): ferry \(x) vs protoc \(y)"
        }
        for (index, (x, y)) in zip(a.nestedType, b.nestedType).enumerated() where x != y {
            return "nested_type[\(index)] \(x.name ?? "")." + (difference(x, y) ?? "")
        }
        for (index, (x, y)) in zip(a.extension, b.extension).enumerated() where x != y {
            return "extension[\(index)]: ferry \(x) vs protoc \(y)"
        }
        return
            """
            ferry options \(String(describing: a.options)) vs protoc \
            \(String(describing: b.options)); ferry \(a) vs protoc \(b)
            """
    }
}
