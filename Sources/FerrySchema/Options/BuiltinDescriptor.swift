import FerryCodec

/// google/protobuf/descriptor.proto as protoc 35 compiles it: the descriptor the runtime's own
/// generated descriptor.pb.swift embeds (Sources/FerrySchema/WellKnownProtos holds the .proto,
/// scripts/generate-fixtures.sh generates the Swift from it).
///
/// protoc knows the built-in options (`java_package`, `packed`, `retention`, ...) even when a file
/// does not import descriptor.proto; this is where Ferry knows them from. One copy serves both the
/// runtime and the compiler.
enum BuiltinDescriptor {
    static var file: Google_Protobuf_FileDescriptorProto { Google_Protobuf_Descriptor_ProtoFile.descriptor }
}
