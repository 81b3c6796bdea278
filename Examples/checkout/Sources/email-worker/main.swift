// `email-worker --bootstrap-servers S --registry URL`: consumes OrderPlaced in the consumer group
// `email` and "sends" one email per order. A record it cannot read, or one whose email keeps
// failing, goes to `orders.dlq` with the reason in its headers; the partition keeps moving.
import FerryKafka
import FerryRegistryClient
import Foundation
import ShopSchemas

/// Writes a line at once, also into a pipe or file (`print` would buffer it there; the demo reads
/// these lines as they come).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    return arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

guard let servers = option("--bootstrap-servers"), let registryURL = option("--registry") else {
    FileHandle.standardError.write(Data("usage: email-worker --bootstrap-servers HOST:PORT --registry URL\n".utf8))
    exit(2)
}
let bootstrap = servers.split(separator: ",").map(String.init)
let registry = HTTPRegistryClient(baseURL: registryURL)
let deadLetters = try KafkaProducer(configuration: .init(bootstrapServers: bootstrap))
let consumer = try KafkaConsumer(
    configuration: .init(bootstrapServers: bootstrap, groupID: "email", sessionTimeout: .seconds(6)), topics: ["orders"]
)
say("email-worker: consuming orders in group email")
let dlq = DeadLetterQueue(producer: deadLetters, onPublish: { record, stage, reason in
    say("email-worker: record \(record.topic)[\(record.partition)]@\(record.offset) → orders.dlq (\(stage.rawValue): \(reason))")
})
try await consumer.process(Shop_V1_OrderPlaced.self, registry: registry, deadLetters: dlq) { event in
    let order = event.message
    let total = order.total.map { String(format: "%.2f %@", Double($0.minorUnits) / 100, $0.currency) } ?? "?"
    say("email-worker: emailed \(order.customerEmail) about \(order.orderId) (\(total), payment \(order.paymentId))")
}
