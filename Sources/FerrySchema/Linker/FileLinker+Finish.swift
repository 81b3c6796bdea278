import FerryCodec

/// The last step: make the descriptor look like protoc's output (`CopyTo` plus json names).
extension FileLinker {
    /// Records this file's linked messages, enums and extensions in the shared table.
    mutating func registerLinkedDefinitions() {
        for message in file.messageType { registerMessage(message, scope: package) }
        for enumType in file.enumType { table.enums[qualify(package, enumType.name ?? "")] = enumType }
        for field in file.extension { table.extensions[qualify(package, field.name ?? "")] = field }
        table.optimizeForOfFile[fileName] = file.options?.optimizeFor ?? .speed
    }

    private mutating func registerMessage(_ message: Google_Protobuf_DescriptorProto, scope: String) {
        let fullName = qualify(scope, message.name ?? "")
        table.messages[fullName] = message
        for nested in message.nestedType { registerMessage(nested, scope: fullName) }
        for enumType in message.enumType { table.enums[qualify(fullName, enumType.name ?? "")] = enumType }
        for field in message.extension { table.extensions[qualify(fullName, field.name ?? "")] = field }
    }

    /// Fills json names, canonicalizes defaults and drops `syntax` for proto2, as protoc's
    /// `FileDescriptor::CopyTo` and `CopyJsonNameTo` do.
    mutating func finishForOutput() {
        if file.syntax != "proto3" && file.syntax != "editions" { file.syntax = nil }
        for index in file.messageType.indices { Self.finish(&file.messageType[index]) }
        for index in file.extension.indices { Self.finish(&file.extension[index]) }
    }

    private static func finish(_ message: inout Google_Protobuf_DescriptorProto) {
        for index in message.field.indices { finish(&message.field[index]) }
        for index in message.extension.indices { finish(&message.extension[index]) }
        for index in message.nestedType.indices { finish(&message.nestedType[index]) }
    }

    private static func finish(_ field: inout Google_Protobuf_FieldDescriptorProto) {
        if field.jsonName == nil { field.jsonName = JSONName.from(field.name ?? "") }
        if field.type == .float, let text = field.defaultValue, let value = DefaultValueFormat.parseFloatingPoint(text)
        {
            field.defaultValue = DefaultValueFormat.shortest(Float(value))
        }
    }

    /// protoc's checks of a default value's text for scalar fields.
    mutating func checkDefaultSyntax(_ field: Google_Protobuf_FieldDescriptorProto, path: [Int32]) {
        guard let text = field.defaultValue else { return }
        let defaultPath = path + [DescriptorPath.Field.defaultValue]
        switch field.type {
        case .bool?:
            if text != "true" && text != "false" { error("Boolean default must be true or false.", at: defaultPath) }
        case .int32?, .sint32?, .sfixed32?, .int64?, .sint64?, .sfixed64?, .uint32?, .fixed32?, .uint64?, .fixed64?:
            if Int64(text) == nil && UInt64(text) == nil {
                error("Couldn't parse default value \"\(text)\".", at: defaultPath)
            }
        case .float?, .double?:
            if DefaultValueFormat.parseFloatingPoint(text) == nil {
                error("Couldn't parse default value \"\(text)\".", at: defaultPath)
            }
        case .message?, .group?:
            if field.typeName == nil { error("Messages can't have default values.", at: defaultPath) }
        default:
            break
        }
    }
}
