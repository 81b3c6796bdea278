// `ferry-bench-kafka --bootstrap S --registry URL --topic T [--messages N] [--dataset DIR]`:
// publishes N benchpb.OrderPlaced records (the shared `order` dataset, cycled) with FerryKafka's
// EventProducer, keyed by order id, in Confluent's framing through the registry; then reads them
// back in a new consumer group with KafkaConsumer.messages. Prints one RESULT line per side:
//   RESULT impl=ferry op=produce|consume msgs=N seconds=S rate=R
// Produce time runs from the first record queued to the last acknowledged; consume time from the
// first record received to the last (the group join before it is not counted).
import FerryBench
import FerryCodec
import FerryKafka
import FerryRegistryClient
import Foundation

func option(_ name: String) -> String? {
    let arguments = CommandLine.arguments
    return arguments.firstIndex(of: name).flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
}

guard let servers = option("--bootstrap"), let registryURL = option("--registry"), let topic = option("--topic") else {
    FileHandle.standardError.write(
        Data(
            "usage: ferry-bench-kafka --bootstrap HOST:PORT --registry URL --topic T [--messages N] [--dataset DIR]\n"
                .utf8
        )
    )
    exit(2)
}
let count = option("--messages").flatMap { Int($0) } ?? 100_000
let directory = option("--dataset") ?? "../shared/bench/data"
let bootstrap = servers.split(separator: ",").map(String.init)
let registry = HTTPRegistryClient(baseURL: registryURL)
let orders = try DatasetFile(name: "order", directory: directory).messages.map {
    try Benchpb_OrderPlaced(serializedBytes: $0)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let producer = try KafkaProducer(configuration: .init(bootstrapServers: bootstrap))
let events = try EventProducer<Benchpb_OrderPlaced>(producer: producer, topic: topic, registry: registry)
// Registers the schema (and warms the connection) before the clock starts.
_ = try await events.record(orders[0], key: orders[0].orderId)
let produceStart = ContinuousClock.now
var sent = 0
while sent < count {
    var batch: [ProducerRecord] = []
    let end = min(count, sent + 10_000)
    batch.reserveCapacity(end - sent)
    for index in sent..<end {
        let order = orders[index % orders.count]
        batch.append(try await events.record(order, key: order.orderId))
    }
    for result in await producer.sendAll(batch) {
        if case .failure(let error) = result { throw error }
    }
    sent = end
}
let produced = seconds(ContinuousClock.now - produceStart)
await producer.close()
print(
    """
    RESULT impl=ferry op=produce msgs=\(count) \
    seconds=\(String(format: "%.3f", produced)) \
    rate=\(Int(Double(count) / produced))
    """
)

let consumer = try KafkaConsumer(
    configuration: .init(
        bootstrapServers: bootstrap,
        groupID: "bench-\(UUID().uuidString)",
        sessionTimeout: .seconds(6)
    ),
    topics: [topic]
)
var received = 0
var consumeStart: ContinuousClock.Instant?
for try await event in consumer.messages(Benchpb_OrderPlaced.self, registry: registry) {
    if consumeStart == nil { consumeStart = .now }
    precondition(!event.message.orderId.isEmpty)
    received += 1
    if received == count { break }
}
let consumed = seconds(ContinuousClock.now - (consumeStart ?? .now))
await consumer.close()
print(
    """
    RESULT impl=ferry op=consume msgs=\(received) \
    seconds=\(String(format: "%.3f", consumed)) \
    rate=\(Int(Double(received) / consumed))
    """
)
