/// A subject name with its context: Confluent's `:.context:subject` form.
///
/// A context is a separate space of subjects and schema ids inside one registry: the same id in two
/// contexts can be two different schemas, and a schema registered in two contexts gets an id in
/// each. A subject without a qualifier lives in the default context `.`; `:.:orders` names the same
/// subject as `orders`. A qualifier without a subject (`:.staging:`) names the context itself, as
/// the configuration endpoints use it.
public struct QualifiedSubject: Sendable, Hashable, CustomStringConvertible {
    /// The default context's name.
    public static let defaultContext = "."

    /// The context's name, starting with a dot (`.` for the default context).
    public let context: String
    /// The subject within the context; empty when the value names the context alone.
    public let name: String

    /// Parses a subject as a client sends it.
    ///
    /// - Throws: 42208 (`invalidSubject`) for a qualifier whose context does not start with a dot
    ///   (`:staging:orders`), has no closing colon, or is empty, and for a name with a control character.
    public init(parsing raw: String) throws(RegistryError) {
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw RegistryError(.invalidSubject, "Invalid subject \(raw.debugDescription): it has a control character")
        }
        guard raw.hasPrefix(":") else {
            self.init(context: Self.defaultContext, name: raw)
            return
        }
        let rest = raw.dropFirst()
        guard rest.hasPrefix("."), let colon = rest.firstIndex(of: ":") else {
            throw RegistryError(
                .invalidSubject,
                "Invalid subject \(raw): a context qualifier is written :.context:subject"
            )
        }
        self.init(context: String(rest[..<colon]), name: String(rest[rest.index(after: colon)...]))
    }

    /// A subject `name` in `context` (a name starting with a dot).
    public init(context: String, name: String) {
        self.context = context
        self.name = name
    }

    /// Whether the subject lives in the default context.
    public var isDefaultContext: Bool { context == Self.defaultContext }

    /// The normalized form: the bare name in the default context, `:.context:name` elsewhere. This is
    /// how the registry stores and lists subjects.
    public var qualified: String { isDefaultContext ? name : ":\(context):\(name)" }

    /// The normalized form (``qualified``).
    public var description: String { qualified }

    /// The context of a stored (normalized) subject name: the default context for a bare name.
    public static func context(of subject: String) -> String {
        (try? QualifiedSubject(parsing: subject))?.context ?? defaultContext
    }

    /// `subject`, qualified with this subject's context when it has no context of its own: how a
    /// reference from a schema in a context names a subject of the same context.
    public func qualifying(_ subject: String) -> String {
        guard !isDefaultContext, !subject.hasPrefix(":") else { return subject }
        return QualifiedSubject(context: context, name: subject).qualified
    }
}
