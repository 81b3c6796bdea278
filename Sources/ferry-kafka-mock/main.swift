import FerryKafka
import Foundation

// `ferry-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...`: librdkafka's mock Kafka cluster on
// 127.0.0.1 for demos, benchmarks and tests on a machine without Kafka. Prints
// `bootstrap HOST:PORT[,HOST:PORT...]` once the brokers listen, then runs until it is signalled.
// Everything is in memory; any Kafka client can connect (see KafkaMockCluster for what it lacks).
var brokers = 1
var topics: [(String, Int)] = []
var arguments = CommandLine.arguments.dropFirst()[...]
func fail(_ message: String) -> Never {
    FileHandle.standardError.write(
        Data("ferry-kafka-mock: \(message)\nusage: ferry-kafka-mock [--brokers N] [--topic NAME:PARTITIONS]...\n".utf8)
    )
    exit(2)
}
while let argument = arguments.popFirst() {
    switch argument {
    case "--brokers":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), (1...16).contains(value) else {
            fail("--brokers takes 1 to 16")
        }
        brokers = value
    case "--topic":
        guard let value = arguments.popFirst(), let colon = value.lastIndex(of: ":"),
            let partitions = Int(value[value.index(after: colon)...]), (1...1_000).contains(partitions),
            colon != value.startIndex
        else { fail("--topic takes NAME:PARTITIONS (1 to 1000 partitions)") }
        topics.append((String(value[..<colon]), partitions))
    default:
        fail("unknown argument \(argument)")
    }
}
do {
    let cluster = try KafkaMockCluster(brokers: brokers)
    for (name, partitions) in topics {
        try cluster.createTopic(name, partitions: partitions, replicationFactor: min(brokers, 3))
    }
    FileHandle.standardOutput.write(Data("bootstrap \(cluster.bootstrapServers.joined(separator: ","))\n".utf8))
    while true { try await Task.sleep(for: .seconds(3_600)) }
} catch {
    fail("\(error)")
}
