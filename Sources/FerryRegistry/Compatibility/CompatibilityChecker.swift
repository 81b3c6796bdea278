/// Decides whether a new schema may follow the schemas registered before it, giving the verdicts
/// Confluent's registry gives for Protobuf (what the REST API answers).
///
/// These are the registry's rules, not buf's: `ferry breaking` applies buf's categories through
/// FerrySchema's `BreakingChecker`. docs/compatibility.md lists both.
public struct CompatibilityChecker: Sendable {
    /// Creates a checker.
    public init() {}

    /// Every difference, breaking or not, between a schema data was written with and one that reads it.
    ///
    /// - Parameters:
    ///   - writer: the older schema (for BACKWARD; FORWARD swaps the roles).
    ///   - reader: the newer schema.
    public func differences(from writer: ProtobufSchema, to reader: ProtobufSchema) -> [SchemaDifference] {
        RegistryDiff.differences(from: writer, to: reader)
    }

    /// The breaking differences between `candidate` and the versions it must be compatible with.
    ///
    /// - Parameters:
    ///   - candidate: the schema about to be registered.
    ///   - previous: the subject's live versions, oldest first.
    ///   - level: the subject's compatibility level.
    /// - Returns: the breaking differences; empty means compatible. BACKWARD compares old→new, FORWARD
    ///   new→old, FULL both; the non-transitive levels look at the latest version only.
    public func incompatibilities(
        of candidate: ProtobufSchema,
        against previous: [ProtobufSchema],
        level: CompatibilityLevel
    ) -> [SchemaDifference] {
        guard level != .none, let latest = previous.last else { return [] }
        let targets = level.isTransitive ? previous.reversed() : [latest]
        var result: [SchemaDifference] = []
        for target in targets {
            if level.checksBackward {
                result += differences(from: target, to: candidate).filter(\.isBreaking)
            }
            if level.checksForward {
                result += differences(from: candidate, to: target).filter(\.isBreaking)
            }
        }
        var seen = Set<SchemaDifference>()
        return result.filter { seen.insert($0).inserted }
    }
}
