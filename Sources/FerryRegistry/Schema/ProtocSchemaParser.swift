import FerryCodec
import Foundation

/// A ``SchemaParser`` that runs protoc in a child process: the stand-in until FerrySchema is on main.
///
/// Each call writes the schema and its dependencies into a fresh temporary directory, runs
/// `protoc --include_imports --descriptor_set_out`, and decodes the result. The process is awaited
/// through its termination handler, so no thread is blocked while protoc runs.
public struct ProtocSchemaParser: SchemaParser {
    /// The protoc executable.
    public var protocPath: String
    /// Extra include directories (the well-known types live in `/usr/include`).
    public var includeDirectories: [String]

    /// Creates a parser around a protoc executable.
    public init(protocPath: String = "/usr/bin/protoc", includeDirectories: [String] = ["/usr/include"]) {
        self.protocPath = protocPath
        self.includeDirectories = includeDirectories
    }

    /// Parses and links one schema.
    public func parse(
        _ text: String,
        fileName: String,
        dependencies: [String: String]
    ) async throws(RegistryError) -> ProtobufSchema {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "ferry-protoc-\(UUID().uuidString)"
        )
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("out.pb")
        let errors = directory.appendingPathComponent("stderr.txt")
        do {
            for (name, source) in dependencies.merging([fileName: text], uniquingKeysWith: { _, own in own }) {
                let url = directory.appendingPathComponent("src").appendingPathComponent(name)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(),
                    withIntermediateDirectories: true
                )
                try Data(source.utf8).write(to: url)
            }
            _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        } catch {
            throw RegistryError(.storeError, "cannot prepare protoc input: \(error)")
        }
        var arguments = ["-I", directory.appendingPathComponent("src").path]
        for include in includeDirectories { arguments += ["-I", include] }
        arguments += ["--include_imports", "--descriptor_set_out=\(output.path)", fileName]
        let status: Int32
        do {
            status = try await Self.run(protocPath, arguments, stderr: errors)
        } catch {
            throw RegistryError(.invalidSchema, "cannot run \(protocPath): \(error)")
        }
        guard status == 0 else {
            let diagnostics = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
            let prefix = directory.appendingPathComponent("src").path + "/"
            let cleaned = diagnostics.replacingOccurrences(of: prefix, with: "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            throw RegistryError(.invalidSchema, "Invalid schema: \(cleaned)")
        }
        let set: Google_Protobuf_FileDescriptorSet
        do {
            set = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](try Data(contentsOf: output)))
        } catch {
            throw RegistryError(.invalidSchema, "protoc wrote an unreadable descriptor set: \(error)")
        }
        return try ProtobufSchema(descriptorSet: set, fileName: fileName)
    }

    private static func run(_ executable: String, _ arguments: [String], stderr: URL) async throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderr)
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in
                continuation.resume(returning: finished.terminationStatus)
            }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
    }
}
