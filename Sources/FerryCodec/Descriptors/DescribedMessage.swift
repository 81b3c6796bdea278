/// A generated message that can describe its own schema at run time.
///
/// Every generated file embeds its `FileDescriptorProto` (without source info), so a message
/// reaches its descriptor, options and custom options (extensions in the options' unknown
/// fields, read with ``Message/subscript(extension:)->Value?``) without the .proto file. The descriptor
/// is also what gives every message JSON, text format and a `debugDescription` that prints its
/// fields.
public protocol DescribedMessage: Message, CustomDebugStringConvertible {
    /// Where the message is declared; generated code states it in one line, and the name, file
    /// and descriptor below follow from it.
    static var protoDeclaration: MessageDeclaration { get }
    /// The message's descriptor, as protoc produced it.
    static var descriptor: Google_Protobuf_DescriptorProto { get }
    /// The generated file that declares the message.
    static var protoFile: any ProtoFile.Type { get }
}

extension DescribedMessage {
    /// The declared full name.
    @inlinable
    public static var protoMessageName: String { protoDeclaration.name }

    /// The declaring file.
    @inlinable
    public static var protoFile: any ProtoFile.Type { protoDeclaration.file }

    /// The descriptor at the declared path of the file's embedded descriptor.
    public static var descriptor: Google_Protobuf_DescriptorProto {
        let declaration = protoDeclaration
        return EmbeddedDescriptor.message(declaration.file.descriptor, declaration.path)
    }
}

/// Where a generated message is declared: its full protobuf name, the generated file that holds
/// it, and its index path in that file's descriptor (an index into `messageType`, then into each
/// `nestedType`).
public struct MessageDeclaration: Sendable {
    /// The fully-qualified protobuf name, such as `google.protobuf.Timestamp`.
    public let name: String
    /// The generated file that declares the message.
    public let file: any ProtoFile.Type
    /// The message's index path in `file`'s descriptor.
    public let path: [Int]

    /// A declaration as generated code states it.
    @inlinable
    public init(_ name: String, in file: any ProtoFile.Type, at path: [Int]) {
        self.name = name
        self.file = file
        self.path = path
    }
}

/// A generated enum that can describe its own schema at run time.
public protocol DescribedEnum: ProtoEnum {
    /// The enum's descriptor, as protoc produced it.
    static var descriptor: Google_Protobuf_EnumDescriptorProto { get }
}

/// Loads the descriptors that generated files embed.
public enum EmbeddedDescriptor {
    /// Decodes a base64 `FileDescriptorProto` literal written by the generator.
    ///
    /// The literal is generated, never user input; a corrupt one means the generated file was
    /// edited by hand, and stopping with the file's position is the only useful answer.
    public static func file(
        base64: String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) -> Google_Protobuf_FileDescriptorProto {
        guard let bytes = Base64.decode(base64) else {
            preconditionFailure("embedded descriptor is not valid base64", file: file, line: line)
        }
        return decoded(bytes, file: file, line: line)
    }

    /// Decodes a compressed `FileDescriptorProto` literal written by the generator (smaller in
    /// the compiled program than base64: one byte per byte, and repeated names written once).
    public static func file(
        compressed: String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) -> Google_Protobuf_FileDescriptorProto {
        guard let bytes = DescriptorDecompression.expand(compressed) else {
            preconditionFailure("embedded descriptor is not a valid compressed literal", file: file, line: line)
        }
        return decoded(bytes, file: file, line: line)
    }

    /// The message declared at `path` of `file`: an index into `messageType`, then into each
    /// `nestedType`. Generated `descriptor` properties call this rather than chaining the
    /// subscripts inline, which took ~600 bytes of object code per type.
    public static func message(
        _ file: Google_Protobuf_FileDescriptorProto,
        _ path: [Int]
    ) -> Google_Protobuf_DescriptorProto {
        var message = file.messageType[path[0]]
        for index in path.dropFirst() { message = message.nestedType[index] }
        return message
    }

    /// Enum `index` of the message at `path` of `file` (see ``message(_:_:)``), or of the file
    /// itself when `path` is empty.
    public static func enumType(
        _ file: Google_Protobuf_FileDescriptorProto,
        _ path: [Int],
        _ index: Int
    ) -> Google_Protobuf_EnumDescriptorProto {
        path.isEmpty ? file.enumType[index] : message(file, path).enumType[index]
    }

    private static func decoded(_ bytes: [UInt8], file: StaticString, line: UInt) -> Google_Protobuf_FileDescriptorProto
    {
        do {
            return try Google_Protobuf_FileDescriptorProto(
                serializedBytes: bytes,
                options: DecodingOptions(allowPartial: true)
            )
        } catch {
            preconditionFailure("embedded descriptor does not decode: \(error)", file: file, line: line)
        }
    }
}
