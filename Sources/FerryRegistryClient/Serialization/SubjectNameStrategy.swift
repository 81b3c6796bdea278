/// How a serializer names the subject a payload's schema is registered under.
public enum SubjectNameStrategy: String, Sendable, Hashable, CaseIterable {
    /// `<topic>-key` or `<topic>-value` (Confluent's default): one schema lineage per topic.
    case topicName
    /// The message's fully qualified name: one lineage per type, shared by every topic.
    case recordName
    /// `<topic>-<fully qualified message name>`: one lineage per type within each topic.
    case topicRecordName

    /// The subject for a payload.
    ///
    /// - Parameters:
    ///   - topic: the broker topic.
    ///   - isKey: whether the payload is the record key rather than its value.
    ///   - recordName: the message's fully qualified protobuf name.
    public func subject(topic: String, isKey: Bool, recordName: String) -> String {
        switch self {
        case .topicName: "\(topic)-\(isKey ? "key" : "value")"
        case .recordName: recordName
        case .topicRecordName: "\(topic)-\(recordName)"
        }
    }
}
