public import FerryCodec

/// Generates Swift source from resolved file descriptors, as protoc hands them to a plugin
/// (fully-qualified type names with a leading dot, options interpreted, source info for
/// comments).
///
/// ```swift
/// let files = try SwiftGenerator(options: GeneratorOptions()).generate(files: request.protoFile,
///                                                                        toGenerate: request.fileToGenerate)
/// ```
public struct SwiftGenerator: Sendable {
    public var options: GeneratorOptions

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
    public func generate(files: [Google_Protobuf_FileDescriptorProto], toGenerate: [String]) throws(GeneratorError) -> [GeneratedFile] {
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
