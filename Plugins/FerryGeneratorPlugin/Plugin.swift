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
///
/// Imports across targets: when this target depends on another target whose `.proto` files the
/// plugin generates, those files are importable here (the other target's directory and import paths
/// join this target's), and code generated from a file that imports one of them imports the other
/// target's module. `"moduleMappings": {"Module": ["path/file.proto", "dir/"]}` names further
/// modules, for code generated outside this package. `"visibility"` may be public, package or
/// internal; a target whose types other targets use needs public or package.
@main
struct FerryGeneratorPlugin: BuildToolPlugin {
    struct Configuration: Decodable {
        var importPaths: [String]?
        var files: [String]?
        var visibility: String?
        /// Whether services get client stubs and server protocols (default true; needs FerryRPC).
        var services: Bool?
        /// Module name → .proto paths (or directories ending in `/`) whose generated code it holds.
        var moduleMappings: [String: [String]]?
    }

    /// A target's `ferry.json`, or the empty configuration.
    static func configuration(of directory: URL) throws -> Configuration {
        let url = directory.appendingPathComponent("ferry.json")
        guard FileManager.default.fileExists(atPath: url.path) else { return Configuration() }
        do {
            return try JSONDecoder().decode(Configuration.self, from: Data(contentsOf: url))
        } catch {
            throw ConfigurationError(description: "\(url.path): \(error)")
        }
    }

    /// The .proto files a target generates, relative to their import roots, and those roots.
    static func protos(
        of target: SourceModuleTarget,
        _ configuration: Configuration
    ) throws -> (files: [(relative: String, url: URL)], importPaths: [URL]) {
        let directory = target.directoryURL
        let importPaths =
            [directory]
            + (configuration.importPaths ?? []).map { directory.appendingPathComponent($0).standardizedFileURL }
        var protos: [(relative: String, url: URL)] = []
        for file in target.sourceFiles(withSuffix: "proto") {
            protos.append((String(file.url.path.dropFirst(directory.path.count + 1)), file.url))
        }
        for relative in configuration.files ?? [] {
            guard
                let root = importPaths.first(where: {
                    FileManager.default.fileExists(atPath: $0.appendingPathComponent(relative).path)
                })
            else {
                throw ConfigurationError(
                    description: "\(target.name)'s ferry.json lists \(relative), which no import path contains"
                )
            }
            protos.append((relative, root.appendingPathComponent(relative)))
        }
        return (protos, importPaths)
    }

    struct ConfigurationError: Error, CustomStringConvertible {
        var description: String
    }

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let configuration = try Self.configuration(of: target.directoryURL)
        var (protos, importPaths) = try Self.protos(of: target, configuration)

        // Targets this one depends on that generate from .proto files: their files are importable
        // here, and their generated code lives in their module.
        var mappings: [String] = []
        var dependencyInputs: [URL] = []
        for case .target(let dependency) in target.dependencies {
            guard let dependency = dependency as? SourceModuleTarget, dependency.name != target.name else { continue }
            let theirs = try Self.protos(of: dependency, try Self.configuration(of: dependency.directoryURL))
            guard !theirs.files.isEmpty else { continue }
            importPaths += theirs.importPaths.filter { !importPaths.contains($0) }
            mappings += theirs.files.map { "\($0.relative):\(dependency.moduleName)" }
            dependencyInputs += theirs.files.map(\.url)
        }
        for (module, paths) in configuration.moduleMappings ?? [:] {
            mappings += paths.map { "\($0):\(module)" }
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
                (clashes ? stem.replacingOccurrences(of: "/", with: "_") : stem) + ".pb.swift"
            )
            return .buildCommand(
                displayName: "Generating Swift for \(proto.relative)",
                executable: ferry.url,
                arguments: ["generate"] + importArguments
                    + ["--swift_out", outputDirectory.path, "--visibility", visibility]
                    + (clashes ? ["--file-naming", "PathToUnderscores"] : [])
                    + (configuration.services == false ? ["--no-services"] : [])
                    + mappings.flatMap { ["--module-mapping", $0] } + [proto.relative],
                inputFiles: protos.map(\.url) + dependencyInputs,
                outputFiles: [output]
            )
        }
    }
}
