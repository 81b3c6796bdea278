import FerryRPC

/// Why an interop test case failed: the check that did not hold, in words a reader of the log
/// understands without the source.
public struct InteropFailure: Error, Sendable, CustomStringConvertible {
    /// What was expected and what happened instead.
    public var message: String

    /// Creates a failure with a message.
    public init(_ message: String) {
        self.message = message
    }

    /// A failure for an RPC that failed where the case expected it to succeed (or to fail differently).
    ///
    /// A failure raised inside a streaming call's response handler reaches the caller wrapped in an
    /// ``RPCError``; it is unwrapped here so the original message survives.
    init(unexpected error: RPCError, during what: String) {
        if let failure = error.cause as? InteropFailure {
            self = failure
        } else {
            self.init("\(what) failed with \(error.code) (\(error.code.rawValue)): \(error.message)")
        }
    }

    /// The failure message, so logs print the reason without type decoration.
    public var description: String { message }
}

/// Checks the conditions of one test case and reports each one that held.
struct InteropChecker: Sendable {
    let report: @Sendable (String) -> Void

    /// Throws ``InteropFailure`` unless `condition` holds; `what` says what was checked.
    func check(_ condition: Bool, _ what: @autoclosure () -> String) throws(InteropFailure) {
        guard condition else { throw InteropFailure("check failed: \(what())") }
        report("ok: \(what())")
    }

    /// Checks that `body` fails with `code` (and `message`, when given).
    func expectFailure(
        _ what: String,
        code: Status.Code,
        message: String? = nil,
        _ body: () async throws -> some Sendable
    ) async throws(InteropFailure) {
        do {
            _ = try await body()
        } catch let failure as InteropFailure {
            throw failure
        } catch {
            let error = RPCError(converting: error)
            if let failure = error.cause as? InteropFailure { throw failure }
            try check(
                error.code == code,
                "\(what) fails with \(code) (got \(error.code): \(error.message.debugDescription))"
            )
            if let message {
                try check(
                    error.message == message,
                    """
                    \(what) carries the status message \(message.debugDescription) \
                    (got \(error.message.debugDescription))
                    """
                )
            }
            return
        }
        throw InteropFailure("\(what) succeeded; expected it to fail with \(code)")
    }

    /// Runs `body`, turning an RPC failure into ``InteropFailure``.
    func expectSuccess<Result>(_ what: String, _ body: () async throws -> Result) async throws(InteropFailure) -> Result
    {
        do {
            return try await body()
        } catch let failure as InteropFailure {
            throw failure
        } catch {
            throw InteropFailure(unexpected: RPCError(converting: error), during: what)
        }
    }
}
