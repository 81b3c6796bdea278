/// Turns `.proto` text into a linked `ProtobufSchema`: the one seam between the registry and a compiler.
///
/// Ferry's own compiler (FerrySchema) implements it once it lands; until then ``ProtocSchemaParser``
/// runs protoc. Implementations must not block the calling thread for long: do the work off the
/// cooperative pool or in a child process.
public protocol SchemaParser: Sendable {
    /// Parses and links one schema.
    ///
    /// - Parameters:
    ///   - text: the schema's `.proto` source.
    ///   - fileName: the name the schema's file gets (import paths of other schemas refer to it).
    ///   - dependencies: the source of every file the schema may import, by import path
    ///     (the registry fills it from the schema's references, transitively).
    /// - Returns: the linked schema.
    /// - Throws: `RegistryError.Code.invalidSchema` with the compiler's diagnostics.
    func parse(
        _ text: String,
        fileName: String,
        dependencies: [String: String]
    ) async throws(RegistryError) -> ProtobufSchema
}
