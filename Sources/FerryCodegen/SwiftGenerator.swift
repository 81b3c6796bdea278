/// Public: the generator takes FerryCodec's `FileDescriptorProto`s.
public import FerryCodec

/// Generates Swift source from resolved file descriptors, as protoc hands them to a plugin
/// (fully-qualified type names with a leading dot, options interpreted, source info for
/// comments).
///
/// The generated shape, per .proto file `path/to/foo.proto` → `path/to/foo.pb.swift`:
/// - each message is a `struct` (`Sendable, Hashable`) named `Package_Message` at the top level,
///   nested types nested; a top-level extension conforms it to `FerryCodec.DescribedMessage`
///   with `encode(to:)` (back to front), `decode(from:)` (one `switch` on the field number),
///   `isInitialized` when `required` fields are reachable, and `descriptor`;
/// - proto3 fields without presence are plain values with zero defaults; fields with presence
///   (proto2 `optional`/`required`, proto3 `optional`, message fields) are Optionals;
///   repeated fields are arrays, maps dictionaries, oneofs one Optional nested enum;
/// - a proto2 `[default = …]` shows as `fooOrDefault`, a computed property returning the value
///   or the declared default; `foo` itself stays `nil` while absent, so presence is never lost;
/// - message fields that close a cycle of singular message fields are stored in
///   `FerryCodec.Box` behind a computed property; oneof cases that close one are `indirect`;
/// - open (proto3) enums have `unrecognized(Int32)`; closed (proto2) enums are `Int32`-backed
///   and unknown numbers go to `unknownFields`; aliases are `static let`s;
/// - `extend` declarations become `FerryCodec.ExtensionField` constants (static lets of the
///   message for nested ones, of the file's `Path_To_Foo_ProtoFile` enum otherwise), whose
///   values live in the extended message's unknown fields (`message[extension: …]`);
/// - the file's `FileDescriptorProto` (without source info) is embedded compressed in
///   `Path_To_Foo_ProtoFile.descriptor`;
/// - each service becomes an enum with its method descriptors, a `Client` stub over
///   `FerryRPC.RPCClient` and a `ServiceProtocol` for servers (see GeneratedCode.md);
/// - editions, weak fields and anything else not implemented raise a ``GeneratorError`` rather
///   than being skipped.
///
/// ```swift
/// let files = try SwiftGenerator(options: GeneratorOptions()).generate(files: request.protoFile,
///                                                                        toGenerate: request.fileToGenerate)
/// ```
public struct SwiftGenerator: Sendable {
    /// The settings (visibility, file naming, services, module mappings) every file of a run uses.
    public var options: GeneratorOptions

    /// Creates a generator that applies `options` to every file it generates.
    public init(options: GeneratorOptions = GeneratorOptions()) {
        self.options = options
    }

    /// Generates one Swift file per name in `toGenerate`.
    ///
    /// - Parameters:
    ///   - files: every file in the request, dependencies included, so that types of other
    ///     files can be named.
    ///   - toGenerate: the names (`path/to/foo.proto`) of the files to generate.
    /// - Throws: ``GeneratorError`` for a missing file or type, or a construct the generator does
    ///   not implement (editions, weak fields, message sets).
    public func generate(
        files: [Google_Protobuf_FileDescriptorProto],
        toGenerate: [String]
    ) throws(GeneratorError) -> [GeneratedFile] {
        let symbols = SymbolTable(files: files)
        var output: [GeneratedFile] = []
        for name in toGenerate {
            guard let file = files.first(where: { $0.name == name }) else {
                throw GeneratorError("\(name) is to be generated but its descriptor is not in the request")
            }
            var translator = FileTranslator(context: FileContext(file: file, symbols: symbols, options: options))
            let content: String
            do throws(GeneratorError) {
                content = try translator.translate()
            } catch {
                throw GeneratorError("\(name): \(error.message)")
            }
            output.append(GeneratedFile(name: outputName(for: name), content: content))
        }
        return output
    }

    /// The generated file's path for a .proto path, following ``GeneratorOptions/fileNaming``.
    public func outputName(for protoPath: String) -> String {
        var stem = protoPath
        if stem.hasSuffix(".proto") { stem.removeLast(6) }
        switch options.fileNaming {
        case .fullPath: break
        case .dropPath: stem = stem.split(separator: "/").last.map(String.init) ?? stem
        case .pathToUnderscores: stem = stem.split(separator: "/").joined(separator: "_")
        }
        return stem + ".pb.swift"
    }
}
