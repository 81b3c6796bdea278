import FerryBench
import SwiftProtobufBench

/// The datasets of ../shared/bench/README.md, in its order.
let datasetNames = ["order", "numeric", "strings", "tree", "small"]

/// Names of the implementations compared, in the order they run.
let implNames = ["ferry", "swiftprotobuf"]

struct UnknownDatasetError: Error, CustomStringConvertible {
    let name: String
    var description: String { "unknown dataset '\(name)' (known: \(datasetNames.joined(separator: ", ")))" }
}

/// Both implementations for the message type of `dataset`, filtered by `impls`, and the size of
/// the dataset's shared JSON inputs.
func preparedCodecs(for dataset: DatasetFile, impls: Set<String>) throws -> (codecs: [PreparedCodec], jsonBytes: Int) {
    var out: [PreparedCodec] = []
    var jsonBytes = 0
    func add<F: CodecUnderTest, S: CodecUnderTest>(_ ferry: F, _ swiftProtobuf: S) throws {
        // The JSON both implementations read: SwiftProtobuf's, the established writer.
        let json = try swiftProtobuf.jsonEncodeAll(swiftProtobuf.decodeAll(dataset.messages))
        if impls.contains(ferry.name) { out.append(try prepare(ferry, dataset, jsonInputs: json)) }
        if impls.contains(swiftProtobuf.name) { out.append(try prepare(swiftProtobuf, dataset, jsonInputs: json)) }
        jsonBytes = json.reduce(0) { $0 + $1.count }
    }
    switch dataset.name {
    case "order":
        try add(
            FerryCodecUnderTest<FerryBench.Benchpb_OrderPlaced>(),
            SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_OrderPlaced>()
        )
    case "numeric":
        try add(
            FerryCodecUnderTest<FerryBench.Benchpb_NumericHeavy>(),
            SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_NumericHeavy>()
        )
    case "strings":
        try add(
            FerryCodecUnderTest<FerryBench.Benchpb_StringHeavy>(),
            SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_StringHeavy>()
        )
    case "tree":
        try add(
            FerryCodecUnderTest<FerryBench.Benchpb_TreeNode>(),
            SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_TreeNode>()
        )
    case "small":
        try add(
            FerryCodecUnderTest<FerryBench.Benchpb_RpcRequest>(),
            SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_RpcRequest>()
        )
    default:
        throw UnknownDatasetError(name: dataset.name)
    }
    return (out, jsonBytes)
}
