/// Public: `FileDescriptorProto` (FerryCodec) appears in this file's public API.
public import FerryCodec
import Foundation

extension SchemaInput {
    /// A schema given as its file descriptor, sent as base64 of the serialized `FileDescriptorProto`
    /// (the form confluent-kafka's serializers send; Confluent's registry and Ferry's accept it beside
    /// `.proto` text). Source info is left out: it does not change the schema.
    public init(descriptor file: Google_Protobuf_FileDescriptorProto, references: [SchemaReference] = []) {
        var file = file
        file.sourceCodeInfo = nil
        self.init(schema: Data(file.serializedBytes()).base64EncodedString(), references: references)
    }

    /// The descriptor in a base64 schema string, or nil when the string is `.proto` text.
    public static func decodeDescriptor(_ text: String) -> Google_Protobuf_FileDescriptorProto? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, !trimmed.contains(";"), !trimmed.contains("{"),
            let data = Data(base64Encoded: trimmed),
            let file = try? Google_Protobuf_FileDescriptorProto(serializedBytes: [UInt8](data))
        else { return nil }
        return file
    }
}
