import FerryCodec

/// Message and enum definitions that option values are checked and encoded against: the files
/// of the compilation first, then protoc's built-in descriptor.proto.
struct OptionSchema {
    let table: SymbolTable

    private static let builtin:
        (messages: [String: Google_Protobuf_DescriptorProto], enums: [String: Google_Protobuf_EnumDescriptorProto]) = {
            var messages: [String: Google_Protobuf_DescriptorProto] = [:]
            var enums: [String: Google_Protobuf_EnumDescriptorProto] = [:]
            func add(_ message: Google_Protobuf_DescriptorProto, scope: String) {
                let name = scope + "." + (message.name ?? "")
                messages[name] = message
                for nested in message.nestedType { add(nested, scope: name) }
                for enumType in message.enumType { enums[name + "." + (enumType.name ?? "")] = enumType }
            }
            let file = BuiltinDescriptor.file
            for message in file.messageType { add(message, scope: file.package ?? "") }
            for enumType in file.enumType { enums[(file.package ?? "") + "." + (enumType.name ?? "")] = enumType }
            return (messages, enums)
        }()

    func message(_ fullName: String) -> Google_Protobuf_DescriptorProto? {
        table.messages[fullName] ?? Self.builtin.messages[fullName]
    }

    func enumType(_ fullName: String) -> Google_Protobuf_EnumDescriptorProto? {
        table.enums[fullName] ?? Self.builtin.enums[fullName]
    }

    /// Whether the message was defined in a proto3 file (implicit presence, packed by default).
    func isProto3(message fullName: String) -> Bool {
        guard let file = table.fileOfMessage[fullName], table.messages[fullName] != nil else { return false }
        return table.syntaxOfFile[file] == "proto3"
    }
}

/// Options messages, which all carry `uninterpreted_option`.
protocol InterpretableOptions: Message {
    var uninterpretedOption: [Google_Protobuf_UninterpretedOption] { get set }
}

extension Google_Protobuf_FileOptions: InterpretableOptions {}
extension Google_Protobuf_MessageOptions: InterpretableOptions {}
extension Google_Protobuf_FieldOptions: InterpretableOptions {}
extension Google_Protobuf_OneofOptions: InterpretableOptions {}
extension Google_Protobuf_EnumOptions: InterpretableOptions {}
extension Google_Protobuf_EnumValueOptions: InterpretableOptions {}
extension Google_Protobuf_ServiceOptions: InterpretableOptions {}
extension Google_Protobuf_MethodOptions: InterpretableOptions {}
extension Google_Protobuf_ExtensionRangeOptions: InterpretableOptions {}
