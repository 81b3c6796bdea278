import FerryRPC
import NIOCore
import Synchronization

/// Withholds an HTTP/1.1 connection's socket reads while the reader of its call is behind, as
/// HTTP/2 withholds a stream's credit: HTTP/1.1 has no flow control of its own but TCP's, so not
/// reading is how a slow reader pushes back on its peer.
///
/// Owned by one connection handler, on its event loop. The limit is
/// ``HTTP2ConnectionHandler/outboundHighWatermark`` bytes unread, as for HTTP/2 streams.
struct ReadHold {
    /// Reading waits for the reader.
    private var holding = false
    /// A `read()` came while reading waited and was not passed on.
    private var withheld = false

    /// A `read()` from the pipeline: true to pass it on now; false keeps it for later (while held,
    /// or while `blocked`, the handler's own reason to wait, such as an unwritable socket).
    mutating func shouldRead(blocked: Bool = false) -> Bool {
        if holding || blocked {
            withheld = true
            return false
        }
        return true
    }

    /// Holds reading until `account`'s reader caught up; true when it already has, and the caller
    /// must release at once (whoever clears the account's flag hands reading back).
    mutating func hold(for account: InboundAccount) -> Bool {
        account.waitingForReader.store(true, ordering: .sequentiallyConsistent)
        holding = true
        return account.unreadBytes <= HTTP2ConnectionHandler.outboundHighWatermark
            && account.waitingForReader.exchange(false, ordering: .sequentiallyConsistent)
    }

    /// Ends the hold; true when a withheld `read()` should be passed on now (not while `blocked`).
    mutating func release(blocked: Bool = false) -> Bool {
        holding = false
        return resumeWithheld(blocked: blocked)
    }

    /// True when a withheld `read()` should be passed on now: nothing holds it any more.
    mutating func resumeWithheld(blocked: Bool = false) -> Bool {
        guard !holding, withheld, !blocked else { return false }
        withheld = false
        return true
    }

    /// Makes the reader of `buffer` call `release` on `eventLoop` once it has caught up with a
    /// held connection.
    static func watchReader<Part: StreamPart>(
        of buffer: StreamBuffer<Part>,
        account: InboundAccount,
        eventLoop: any EventLoop,
        release: @escaping @Sendable () -> Void
    ) {
        buffer.setOnConsume { part, _ in
            guard let unread = account.taken(part.messageByteCount),
                unread <= HTTP2ConnectionHandler.outboundHighWatermark,
                account.waitingForReader.exchange(false, ordering: .sequentiallyConsistent)
            else { return }
            eventLoop.execute(release)
        }
    }
}
