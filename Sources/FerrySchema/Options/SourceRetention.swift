import FerryCodec

/// Options declared `[retention = RETENTION_SOURCE]` exist for the compiler only: protoc checks
/// them, then leaves them out of the descriptors it writes and hands to plugins. Ferry does the
/// same, so its descriptors stay equal to protoc's (descriptor.proto's own extension declarations
/// are such options).
enum SourceRetention {
    /// Whether the option field is declared with source retention (interpreted already, or still
    /// written as `retention = RETENTION_SOURCE` when its own file is being linked).
    static func isSourceOnly(_ field: Google_Protobuf_FieldDescriptorProto) -> Bool {
        guard let options = field.options else { return false }
        if options.retention == .retentionSource { return true }
        return options.uninterpretedOption.contains { option in
            option.name.count == 1 && option.name[0].isExtension != true && option.name[0].namePart == "retention"
                && option.identifierValue == "RETENTION_SOURCE"
        }
    }

    /// `bytes`, the fields of a message of type `type`, without its source-retention fields, at
    /// any depth. Bytes that do not parse are returned unchanged.
    static func strip(_ bytes: [UInt8], type: String, schema: OptionSchema, depth: Int = 0) -> [UInt8] {
        guard depth < 64, let message = schema.message(type), let fields = RawFields.parse(bytes) else { return bytes }
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        for field in fields {
            guard let declaration = message.field.first(where: { $0.number == field.number }) else {
                kept += field.raw
                continue
            }
            if isSourceOnly(declaration) { continue }
            let isMessage = declaration.type == .message || declaration.type == .group
            guard isMessage, field.wireType == 2 || field.wireType == 3 else {
                kept += field.raw
                continue
            }
            let inner = strip(
                field.payload,
                type: String((declaration.typeName ?? "").dropFirst()),
                schema: schema,
                depth: depth + 1
            )
            var rebuilt = WireBytes()
            if field.wireType == 3 {
                rebuilt.appendGroup(field.number, inner)
            } else {
                rebuilt.appendLengthDelimited(field.number, inner)
            }
            kept += rebuilt.bytes
        }
        return kept
    }
}
