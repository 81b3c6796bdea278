// `checkout --payment HOST:PORT --bootstrap-servers S --registry URL [--orders N] [--first N]
// [--interval-ms M] [--poison]`: places orders the way a checkout service does. Each order charges the card over
// gRPC with a 300 ms deadline, a retry for UNAVAILABLE and a circuit breaker; a paid order is
// published as an OrderPlaced event (registered in the schema registry, framed with its schema
// id). When payment stops answering, the first orders wait for their deadline, then the breaker
// opens and checkout answers at once ("try again in a minute") instead of holding the shopper.
// `--poison` first publishes a record no consumer can read, to show the dead-letter topic at work.
import FerryHTTP2
import FerryKafka
import FerryRPC
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

guard let payment = option("--payment"), let colon = payment.lastIndex(of: ":"), let paymentPort = Int(payment[payment.index(after: colon)...]),
    let servers = option("--bootstrap-servers"), let registryURL = option("--registry")
else {
    FileHandle.standardError.write(Data("usage: checkout --payment HOST:PORT --bootstrap-servers HOST:PORT --registry URL [--orders N] [--interval-ms M] [--poison]\n".utf8))
    exit(2)
}
func milliseconds(since start: ContinuousClock.Instant) -> String {
    "\(Int(((ContinuousClock.now - start) / .milliseconds(1)).rounded())) ms"
}

let orderCount = option("--orders").flatMap { Int($0) } ?? 30
let firstOrder = option("--first").flatMap { Int($0) } ?? 1
let interval = Duration.milliseconds(option("--interval-ms").flatMap { Int($0) } ?? 300)

let producer = try KafkaProducer(configuration: .init(bootstrapServers: servers.split(separator: ",").map(String.init)))
let orders = try EventProducer<Shop_V1_OrderPlaced>(producer: producer, topic: "orders", registry: HTTPRegistryClient(baseURL: registryURL))
if CommandLine.arguments.contains("--poison") {
    let report = try await producer.send(ProducerRecord(topic: "orders", key: Array("legacy".utf8), value: Array("{\"order\": 1}".utf8)))
    say("checkout: published a JSON record a protobuf consumer cannot read (orders[\(report.partition)]@\(report.offset ?? -1))")
}

// Open after 3 failures in a row; probe again after 3 seconds; at most 32 charges at once.
let breakers = CircuitBreakerInterceptor(policy: CircuitBreakerPolicy(consecutiveFailures: 3, openDuration: .seconds(3), maxConcurrentCalls: 32))
let watcher = Task {
    for await event in breakers.breaker(for: Shop_V1_Payments.Method.charge).stateChanges() {
        say("checkout: circuit breaker \(event.from.rawValue) → \(event.to.rawValue) (\(event.reason))")
    }
}
let options = CallOptions(
    timeout: .milliseconds(300),
    retryPolicy: RetryPolicy(maxAttempts: 2, initialBackoff: .milliseconds(20), maxBackoff: .milliseconds(50), backoffMultiplier: 2, retryableStatusCodes: [.unavailable])
)
let transport = HTTP2ClientTransport(host: String(payment[..<colon]), port: paymentPort)
try await withRPCClient(transport: transport, interceptors: [breakers]) { client in
    let payments = Shop_V1_Payments.Client(wrapping: client)
    for number in firstOrder..<(firstOrder + orderCount) {
        let orderID = String(format: "order-%03d", number)
        var amount = Shop_V1_Money()
        amount.currency = "EUR"
        amount.minorUnits = Int64(1_000 + number * 250)
        var charge = Shop_V1_ChargeRequest()
        charge.orderId = orderID
        charge.amount = amount
        charge.cardToken = number % 10 == 0 ? "tok_declined" : "tok_visa"
        let started = ContinuousClock.now
        do {
            let response = try await payments.charge(charge, options: options)
            let took = milliseconds(since: started)
            guard response.approved else {
                say("checkout: \(orderID) declined in \(took): \(response.declineReason)")
                continue
            }
            var event = Shop_V1_OrderPlaced()
            event.orderId = orderID
            event.customerEmail = "shopper\(number % 8)@example.com"
            event.total = amount
            event.paymentId = response.paymentId
            var now = Google_Protobuf_Timestamp()
            now.seconds = Int64(Date().timeIntervalSince1970)
            event.placedAt = now
            let report = try await orders.send(event, key: event.customerEmail)
            say("checkout: \(orderID) paid in \(took) → OrderPlaced at orders[\(report.partition)]@\(report.offset ?? -1)")
        } catch let error as RPCError {
            let took = milliseconds(since: started)
            say("checkout: \(orderID) not paid, answered in \(took): \(error.code) — \(error.message)")
        }
        try await Task.sleep(for: interval)
    }
}
watcher.cancel()
await producer.close()
say("checkout: done")
