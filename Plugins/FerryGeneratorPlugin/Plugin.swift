import Foundation
import PackagePlugin

/// Generates Swift from the `.proto` files of a target at build time by running `ferry generate`.
///
/// The `.proto` files are the target's own (import paths: the target's directory), plus any
/// listed in an optional `ferry.json` beside them:
///
/// ```json
/// { "importPaths": ["../../Schemas"], "files": ["acme/v1/orders.proto"], "visibility": "internal", "services": true }
/// ```
///
/// `importPaths` are relative to the target's directory; `files` are relative to the first import
/// path that contains them. Each `.proto` file becomes one `.pb.swift` file (with its path in the
/// name when two files share a name); a file with services
/// also gets their stubs, so the target must depend on FerryRPC (or set `"services": false`).
@main
struct FerryGeneratorPlugin: BuildToolPlugin {
    struct Configuration: Decodable {
        var importPaths: [String]?
        var files: [String]?
        var visibility: String?
        /// Whether services get client stubs and server protocols (default true; needs FerryRPC).
        var services: Bool?
    }

    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let targetDirectory = target.directoryURL
        let configurationURL = targetDirectory.appendingPathComponent("ferry.json")
        var configuration = Configuration()
        if FileManager.default.fileExists(atPath: configurationURL.path) {
            do {
                configuration = try JSONDecoder().decode(Configuration.self, from: Data(contentsOf: configurationURL))
            } catch {
                throw ConfigurationError(description: "\(configurationURL.path): \(error)")
            }
        }

        let importPaths = [targetDirectory] + (configuration.importPaths ?? []).map {
            targetDirectory.appendingPathComponent($0).standardizedFileURL
        }
        // (path relative to its import root, absolute URL)
        var protos: [(relative: String, url: URL)] = []
        for file in target.sourceFiles(withSuffix: "proto") {
            let relative = String(file.url.path.dropFirst(targetDirectory.path.count + 1))
            protos.append((relative, file.url))
        }
        for relative in configuration.files ?? [] {
            guard let root = importPaths.first(where: {
                FileManager.default.fileExists(atPath: $0.appendingPathComponent(relative).path)
            }) else {
                throw ConfigurationError(description: "ferry.json lists \(relative), which no import path contains")
            }
            protos.append((relative, root.appendingPathComponent(relative)))
        }

        let ferry = try context.tool(named: "ferry")
        let outputDirectory = context.pluginWorkDirectoryURL.appendingPathComponent("GeneratedSources")
        let importArguments = importPaths.flatMap { ["-I", $0.path] }
        let visibility = configuration.visibility ?? "internal"
        // SwiftPM names object files by source basename, so two .proto files called alike
        // (grpc/reflection/v1/reflection.proto and v1alpha/reflection.proto) would collide: such
        // files are generated with their path in the name (grpc_reflection_v1_reflection.pb.swift).
        let basenames = protos.map { URL(fileURLWithPath: $0.relative).lastPathComponent }
        return protos.map { proto in
            let stem = String(proto.relative.dropLast(".proto".count))
            let clashes = basenames.filter { $0 == URL(fileURLWithPath: proto.relative).lastPathComponent }.count > 1
            let output = outputDirectory.appendingPathComponent(
                (clashes ? stem.replacingOccurrences(of: "/", with: "_") : stem) + ".pb.swift")
            return .buildCommand(
                displayName: "Generating Swift for \(proto.relative)",
                executable: ferry.url,
                arguments: ["generate"] + importArguments
                    + ["--swift_out", outputDirectory.path, "--visibility", visibility]
                    + (clashes ? ["--file-naming", "PathToUnderscores"] : [])
                    + (configuration.services == false ? ["--no-services"] : []) + [proto.relative],
                inputFiles: protos.map(\.url),
                outputFiles: [output]
            )
        }
    }
}
