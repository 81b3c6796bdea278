import ArgumentParser
import FerryCodec
import FerrySchema
import Foundation

/// Where one side of `ferry breaking` comes from, spelled as buf spells inputs: a directory of
/// .proto files, one .proto file, a FileDescriptorSet (`protoc -o` / `ferry descriptors`
/// output), or a git ref (`.git#ref=main`, `.git#branch=main,subdir=protos`, `repo/.git#tag=v1`).
enum SchemaSource {
    case directory(String)
    case protoFile(String)
    case descriptorSet(String)
    case git(repository: String, ref: String, subdirectory: String?)

    /// Reads `argument`, deciding its kind from its spelling and what is on disk.
    init(_ argument: String) throws {
        if let hash = argument.firstIndex(of: "#") {
            let repository = String(argument[..<hash])
            var ref: String?
            var subdirectory: String?
            for pair in argument[argument.index(after: hash)...].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { throw ValidationError("'\(pair)' in \(argument) is not key=value") }
                switch parts[0] {
                case "ref", "branch", "tag": ref = parts[1]
                case "subdir": subdirectory = parts[1]
                default:
                    throw ValidationError("'\(parts[0])' in \(argument): a git input takes ref, branch, tag and subdir")
                }
            }
            guard let ref else { throw ValidationError("\(argument): a git input needs ref=, branch= or tag=") }
            self = .git(repository: repository.isEmpty ? ".git" : repository, ref: ref, subdirectory: subdirectory)
            return
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
            throw ValidationError("\(argument) does not exist")
        }
        if isDirectory.boolValue {
            self = .directory(argument)
        } else if argument.hasSuffix(".proto") {
            self = .protoFile(argument)
        } else {
            self = .descriptorSet(argument)
        }
    }

    /// Compiles or decodes the schemas, printing compiler diagnostics; exits 1 on errors.
    func load() throws -> BreakingInput {
        switch self {
        case .directory(let path):
            return try Self.compileDirectory(path)
        case .protoFile(let path):
            let url = URL(fileURLWithPath: path)
            let result = try SchemaInputOptions.compile(
                [url.lastPathComponent],
                importPaths: [url.deletingLastPathComponent().path]
            )
            return BreakingInput(result)
        case .descriptorSet(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read \(path)")
            }
            let set: Google_Protobuf_FileDescriptorSet
            do {
                set = try Google_Protobuf_FileDescriptorSet(serializedBytes: [UInt8](data))
            } catch {
                throw ValidationError("\(path) is neither a directory, a .proto file nor a FileDescriptorSet: \(error)")
            }
            return BreakingInput(files: set.file, checkedFiles: Set(set.file.compactMap(\.name)))
        case .git(let repository, let ref, let subdirectory):
            let checkout = FileManager.default.temporaryDirectory.appendingPathComponent(
                "ferry-breaking-\(UUID().uuidString)"
            )
            try FileManager.default.createDirectory(at: checkout, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: checkout) }
            try Self.extract(repository: repository, ref: ref, into: checkout.path)
            let root = subdirectory.map { checkout.appendingPathComponent($0).path } ?? checkout.path
            return try Self.compileDirectory(root)
        }
    }

    /// Every .proto file under `path`, compiled with `path` as the import root.
    private static func compileDirectory(_ path: String) throws -> BreakingInput {
        var files: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: path)
        while let entry = enumerator?.nextObject() as? String {
            if entry.hasSuffix(".proto") { files.append(entry) }
        }
        files.sort()
        guard !files.isEmpty else { throw ValidationError("\(path) holds no .proto files") }
        return BreakingInput(try SchemaInputOptions.compile(files, importPaths: [path]))
    }

    /// Writes the tree of `ref` into `directory` with `git archive` and `tar` (a command-line
    /// tool's synchronous waits, not async code).
    private static func extract(repository: String, ref: String, into directory: String) throws {
        let gitDirectory = repository.hasSuffix(".git") ? ["--git-dir", repository] : ["-C", repository]
        let archive = directory + "/.ferry-archive.tar"
        defer { try? FileManager.default.removeItem(atPath: archive) }
        guard run("/usr/bin/env", ["git"] + gitDirectory + ["archive", "--format=tar", "--output", archive, ref]) == 0
        else {
            throw ValidationError("could not read '\(ref)' from the git repository \(repository) (git archive failed)")
        }
        guard run("/usr/bin/env", ["tar", "-x", "-f", archive, "-C", directory]) == 0 else {
            throw ValidationError("could not unpack '\(ref)' of \(repository)")
        }
    }

    private static func run(_ executable: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }
}
