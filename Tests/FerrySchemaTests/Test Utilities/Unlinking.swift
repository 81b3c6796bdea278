import FerryCodec

/// Turns protoc's linked descriptors back into what a parser produces, so the linker can be
/// tested on the whole corpus: json names and message/enum types are removed. Type names stay
/// fully qualified and options stay interpreted.
enum Unlinking {
    static func unlink(_ file: Google_Protobuf_FileDescriptorProto) -> Google_Protobuf_FileDescriptorProto {
        var file = file
        if file.syntax == nil { file.syntax = "proto2" }
        for index in file.messageType.indices { unlink(&file.messageType[index]) }
        for index in file.extension.indices { unlink(&file.extension[index]) }
        return file
    }

    private static func unlink(_ message: inout Google_Protobuf_DescriptorProto) {
        for index in message.field.indices { unlink(&message.field[index]) }
        for index in message.extension.indices { unlink(&message.extension[index]) }
        for index in message.nestedType.indices { unlink(&message.nestedType[index]) }
    }

    private static func unlink(_ field: inout Google_Protobuf_FieldDescriptorProto) {
        var defaultJSON: [UInt8] = []
        var upper = false
        for byte in (field.name ?? "").utf8 {
            if byte == UInt8(ascii: "_") {
                upper = true
                continue
            }
            defaultJSON.append(upper && byte >= 97 && byte <= 122 ? byte - 32 : byte)
            upper = false
        }
        if field.jsonName == String(decoding: defaultJSON, as: UTF8.self) { field.jsonName = nil }
        if field.type == .message || field.type == .enum { field.type = nil }
    }
}
