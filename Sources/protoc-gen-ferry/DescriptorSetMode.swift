import FerryCodec
import FerryCodegen
import Foundation

/// `protoc-gen-ferry --descriptor-set SET.pb --out DIR [--opt K=V,...] FILE.proto ...`: generates
/// from a `FileDescriptorSet` written by `protoc --include_imports --include_source_info
/// --descriptor_set_out`, without protoc running the plugin. Used to bootstrap the plugin's own
/// types and the runtime's generated files.
enum DescriptorSetMode {
    static func run(_ arguments: [String]) throws -> Int32 {
        var setPath: String?
        var outDirectory = "."
        var parameter = ""
        var files: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            switch argument {
            case "--descriptor-set", "--out", "--opt":
                guard index + 1 < arguments.count else { throw ToolError("\(argument) needs a value") }
                let value = arguments[index + 1]
                if argument == "--descriptor-set" {
                    setPath = value
                } else if argument == "--out" {
                    outDirectory = value
                } else {
                    parameter = value
                }
                index += 2
            default:
                files.append(argument)
                index += 1
            }
        }
        guard let setPath else { throw ToolError("--descriptor-set is required") }
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: setPath)))
        let set = try Google_Protobuf_FileDescriptorSet(serializedBytes: bytes)
        let generator = SwiftGenerator(options: try GeneratorOptions(parameter: parameter))
        let toGenerate = files.isEmpty ? set.file.last.flatMap(\.name).map { [$0] } ?? [] : files
        for file in try generator.generate(files: set.file, toGenerate: toGenerate) {
            let url = URL(fileURLWithPath: outDirectory).appendingPathComponent(file.name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(),
                withIntermediateDirectories: true
            )
            try Data(file.content.utf8).write(to: url)
        }
        return 0
    }
}

struct ToolError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
