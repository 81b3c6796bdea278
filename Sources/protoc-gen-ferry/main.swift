import Foundation

// With no arguments protoc is the caller (plugin protocol on stdin/stdout); with arguments the
// tool generates from a descriptor set on disk (see DescriptorSetMode).
let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.isEmpty {
    exit(PluginMode.run())
}
do {
    exit(try DescriptorSetMode.run(arguments))
} catch {
    FileHandle.standardError.write(Data("protoc-gen-ferry: \(error)\n".utf8))
    exit(1)
}
