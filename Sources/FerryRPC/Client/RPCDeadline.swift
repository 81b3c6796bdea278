/// The deadline of the RPC being served by the current task, so that calls made from inside a
/// server handler inherit it (``CallOptions/inheritsDeadline``).
public enum RPCDeadline {
    /// The deadline of the server handler running in this task, if any.
    @TaskLocal public static var current: ContinuousClock.Instant?
}
