import ArgumentParser
import FerryCodec
import FerryCodegen
import FerrySchema
import Foundation

/// `ferry generate`: .proto files in, one `.pb.swift` file per .proto file out.
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate Swift messages, codecs and service stubs from .proto files.",
        discussion: """
            Writes one Swift file per .proto file given (not for its imports), named like the .proto \
            file with .pb.swift, under the output directory. Example:

              ferry generate -I Schemas --swift_out Sources/App/Generated ferry/examples/v1/checkout.proto
            """
    )

    @OptionGroup var input: SchemaInputOptions

    @Option(
        name: [.customLong("swift_out"), .customLong("swift-out")],
        help: ArgumentHelp("Directory to write the Swift files to.", valueName: "dir")
    )
    var swiftOut: String

    @Option(help: "Access level of the generated types: public, package or internal.")
    var visibility: String = GeneratorOptions.Visibility.public.rawValue

    @Option(
        name: .customLong("file-naming"),
        help: "How .proto paths become Swift paths: FullPath, DropPath or PathToUnderscores."
    )
    var fileNaming: String = GeneratorOptions.FileNaming.fullPath.rawValue

    @Flag(
        inversion: .prefixedNo,
        help: "Generate each service's method descriptors, client stub and server protocol (they import FerryRPC)."
    )
    var services: Bool = true

    @Option(
        name: .customLong("module-mapping"),
        help: ArgumentHelp(
            """
            The Swift module that holds the generated code of an imported .proto file (or \
            of every file under a path ending in /); repeatable.
            """,
            valueName: "path:Module"
        )
    )
    var moduleMappings: [String] = []

    func validate() throws {
        guard GeneratorOptions.Visibility(rawValue: visibility) != nil else {
            throw ValidationError("--visibility must be public, package or internal, not '\(visibility)'")
        }
        for mapping in moduleMappings {
            do { _ = try GeneratorOptions.parseModuleMapping(mapping) } catch { throw ValidationError(error.message) }
        }
        guard GeneratorOptions.FileNaming(rawValue: fileNaming) != nil else {
            throw ValidationError("--file-naming must be FullPath, DropPath or PathToUnderscores, not '\(fileNaming)'")
        }
    }

    func run() throws {
        let result = try input.compile()
        var mappings: [String: String] = [:]
        for mapping in moduleMappings {
            if let (path, module) = try? GeneratorOptions.parseModuleMapping(mapping) { mappings[path] = module }
        }
        let options = GeneratorOptions(
            visibility: GeneratorOptions.Visibility(rawValue: visibility) ?? .public,
            fileNaming: GeneratorOptions.FileNaming(rawValue: fileNaming) ?? .fullPath,
            generatesServices: services,
            moduleMappings: mappings
        )
        let generator = SwiftGenerator(options: options)
        let generated: [GeneratedFile]
        do {
            generated = try generator.generate(
                files: result.descriptorSet(includeImports: true, includeSourceInfo: true).file,
                toGenerate: result.requestedFiles
            )
        } catch {
            throw ValidationError("cannot generate: \(error.message)")
        }
        let root = URL(fileURLWithPath: swiftOut)
        for file in generated {
            let url = root.appendingPathComponent(file.name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            // Unchanged output is not rewritten, so build systems see no new timestamps.
            if let existing = try? String(contentsOf: url, encoding: .utf8), existing == file.content { continue }
            try file.content.write(to: url, atomically: true, encoding: .utf8)
        }
    }
}
