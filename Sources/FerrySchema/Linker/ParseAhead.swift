import Foundation
import Synchronization

/// Reads and parses a compilation's requested files on a second thread while the linker links.
///
/// The linker asks for files in import order, the worker parses them in the order given; whichever
/// reaches a file first does the work. A file the linker asks for before the worker has finished it
/// is loaded by the linker itself (the worker's copy is then dropped), so the linker never waits:
/// at worst a file is parsed twice. Parsed files wait here until the linker takes them; the linker
/// keeps every unlinked file until the end of the compilation anyway, so this holds no more than
/// the compilation would.
final class ParseAhead: Sendable {
    /// Fewer requested files than this are parsed by the linker alone: a thread is not worth it.
    static let minimumFiles = 16

    private enum Entry {
        /// The worker is parsing it.
        case parsing
        /// Parsed, waiting for the linker.
        case parsed(Linker.LoadResult)
        /// The linker loaded it itself or has taken the worker's result.
        case taken
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let stopped = Atomic<Bool>(false)

    /// Starts the worker thread on `names` with `load`.
    init(names: [String], load: @escaping Linker.Loader) {
        let thread = Thread { [self] in
            for name in names {
                guard !self.stopped.load(ordering: .relaxed) else { return }
                let claimed = self.entries.withLock { entries in
                    guard entries[name] == nil else { return false }
                    entries[name] = .parsing
                    return true
                }
                guard claimed else { continue }
                let result = load(name)
                self.entries.withLock { entries in
                    if case .parsing? = entries[name] { entries[name] = .parsed(result) }
                }
            }
        }
        thread.name = "ferry-parse-ahead"
        thread.start()
    }

    /// The worker's result for `name`, or `nil` when the caller must load the file itself (the
    /// worker has not parsed it yet; it will not parse it from now on).
    func take(_ name: String) -> Linker.LoadResult? {
        entries.withLock { entries in
            let entry = entries[name]
            entries[name] = .taken
            if case .parsed(let result)? = entry { return result }
            return nil
        }
    }

    /// Tells the worker to stop after the file it is parsing, and drops what nobody took.
    func stop() {
        stopped.store(true, ordering: .relaxed)
        entries.withLock { $0.removeAll() }
    }
}
