import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    exit(try DescriptorSetMode.run(arguments))
} catch {
    FileHandle.standardError.write(Data("protoc-gen-ferry: \(error)\n".utf8))
    exit(1)
}
