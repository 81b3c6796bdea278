import FerryCodec
import FerryCodegen
import Foundation

/// protoc's plugin protocol: a `CodeGeneratorRequest` on standard input, a
/// `CodeGeneratorResponse` on standard output. Every failure, including an unreadable request,
/// is reported in the response's `error` field so that protoc shows it; the process itself
/// always succeeds once it has written a response.
enum PluginMode {
    static func response(for input: [UInt8]) -> Google_Protobuf_Compiler_CodeGeneratorResponse {
        var response = Google_Protobuf_Compiler_CodeGeneratorResponse()
        typealias Feature = Google_Protobuf_Compiler_CodeGeneratorResponse.Feature
        // proto3 `optional`, and editions 2023 and 2024 (protoc refuses other editions before
        // running the plugin).
        response.supportedFeatures = UInt64(Feature.proto3Optional.rawValue | Feature.supportsEditions.rawValue)
        response.minimumEdition = Google_Protobuf_Edition.edition2023.rawValue
        response.maximumEdition = Google_Protobuf_Edition.edition2024.rawValue
        do {
            let request = try Google_Protobuf_Compiler_CodeGeneratorRequest(serializedBytes: input)
            let options = try GeneratorOptions(parameter: request.parameter ?? "")
            let files = try SwiftGenerator(options: options).generate(
                files: request.protoFile,
                toGenerate: request.fileToGenerate
            )
            response.file = files.map { generated in
                var file = Google_Protobuf_Compiler_CodeGeneratorResponse.File()
                file.name = generated.name
                file.content = generated.content
                return file
            }
        } catch {
            response.error = "\(error)"
        }
        return response
    }

    static func run() -> Int32 {
        let input = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        FileHandle.standardOutput.write(Data(response(for: input).serializedBytes()))
        return 0
    }
}
