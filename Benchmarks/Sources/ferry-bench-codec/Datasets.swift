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

/// Both implementations for the message type of `dataset`, filtered by `impls`.
func preparedCodecs(for dataset: DatasetFile, impls: Set<String>) throws -> [PreparedCodec] {
    var out: [PreparedCodec] = []
    func add<F: CodecUnderTest, S: CodecUnderTest>(_ ferry: F, _ swiftProtobuf: S) throws {
        if impls.contains(ferry.name) { out.append(try prepare(ferry, dataset)) }
        if impls.contains(swiftProtobuf.name) { out.append(try prepare(swiftProtobuf, dataset)) }
    }
    switch dataset.name {
    case "order":
        try add(FerryCodecUnderTest<FerryBench.Benchpb_OrderPlaced>(),
                SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_OrderPlaced>())
    case "numeric":
        try add(FerryCodecUnderTest<FerryBench.Benchpb_NumericHeavy>(),
                SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_NumericHeavy>())
    case "strings":
        try add(FerryCodecUnderTest<FerryBench.Benchpb_StringHeavy>(),
                SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_StringHeavy>())
    case "tree":
        try add(FerryCodecUnderTest<FerryBench.Benchpb_TreeNode>(),
                SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_TreeNode>())
    case "small":
        try add(FerryCodecUnderTest<FerryBench.Benchpb_RpcRequest>(),
                SwiftProtobufCodecUnderTest<SwiftProtobufBench.Benchpb_RpcRequest>())
    default:
        throw UnknownDatasetError(name: dataset.name)
    }
    return out
}
