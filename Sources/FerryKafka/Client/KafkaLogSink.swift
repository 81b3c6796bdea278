internal import CRDKafka
import Logging

/// Where a client's librdkafka log lines go: swift-log, under the client's label, at the level
/// librdkafka gave (syslog levels 0-7).
final class KafkaLogSink: Sendable {
    let logger: Logger

    init(label: String) {
        logger = Logger(label: label)
    }

    func log(level: Int32, facility: String, message: String) {
        let swiftLevel: Logger.Level =
            switch level {
            case ...2: .critical
            case 3: .error
            case 4: .warning
            case 5: .notice
            case 6: .info
            default: .debug
            }
        logger.log(level: swiftLevel, "\(message)", metadata: ["kafka.facility": "\(facility)"])
    }
}

/// librdkafka's log callback: called from its threads, with the client's opaque (its log sink).
let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    client,
    level,
    facility,
    message in
    // SAFETY: the opaque is the sink RDKafkaClient retained for the client's lifetime, and
    // librdkafka logs only while the client exists.
    guard let client, let opaque = rd_kafka_opaque(client) else { return }
    let sink = Unmanaged<KafkaLogSink>.fromOpaque(opaque).takeUnretainedValue()
    sink.log(
        level: level,
        facility: facility.map { String(cString: $0) } ?? "",
        message: message.map { String(cString: $0) } ?? ""
    )
}
