import ArgumentParser
import FerryCodec
import FerrySchema
import Foundation

/// `ferry descriptors`: protoc's `--descriptor_set_out`, with protoc's own flags.
struct Descriptors: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a FileDescriptorSet for .proto files, as protoc --descriptor_set_out does.",
        discussion: """
            Takes protoc's flags, so it can replace protoc in scripts:

              ferry descriptors -I protos --include_imports --descriptor_set_out=out.pb shop/orders.proto

            The set holds the files given (with --include_imports, every file they import too, each \
            before its importers) as linked descriptors equal to protoc's.
            """
    )

    @OptionGroup var input: SchemaInputOptions

    @Option(
        name: [.customLong("descriptor_set_out"), .customShort("o", allowingJoined: true)],
        help: ArgumentHelp("Where to write the serialized FileDescriptorSet.", valueName: "file")
    )
    var descriptorSetOut: String

    @Flag(name: .customLong("include_imports"), help: "Also include every imported file.")
    var includeImports = false

    @Flag(name: .customLong("include_source_info"), help: "Keep source positions and comments (SourceCodeInfo).")
    var includeSourceInfo = false

    func run() throws {
        let result = try input.compile()
        let set = result.descriptorSet(includeImports: includeImports, includeSourceInfo: includeSourceInfo)
        try Data(set.serializedBytes()).write(to: URL(fileURLWithPath: descriptorSetOut))
    }
}
