import ArgumentParser
import Foundation

/// protoc's response files: an argument `@path` stands for the lines of the file at `path`, each
/// line one argument (no quoting; empty lines are skipped). Files are not expanded recursively.
///
/// ArgumentParser parses positional arguments in time quadratic in their number (1.2 s for 7,227
/// names), so a long run of .proto names from a response file travels to ``SchemaInputOptions`` as
/// one argument: the names joined by newlines behind a NUL, which no real argument can contain.
enum ResponseFiles {
    /// A response file larger than this is refused rather than read: 64 MiB holds over a million
    /// .proto paths.
    static let maximumBytes = 64 << 20

    /// Runs of at least this many .proto names from one response file become one argument.
    static let bundledRun = 64

    /// Marks an argument that holds several .proto names, one per line.
    static let bundleMarker: Character = "\u{0}"

    /// `files` with every bundled argument replaced by the names it holds.
    static func unbundle(_ files: [String]) -> [String] {
        files.flatMap { file in
            file.first == bundleMarker ? file.dropFirst().split(separator: "\n").map(String.init) : [file]
        }
    }

    /// Joins runs of `bundledRun` or more .proto names into one argument each. The first name of
    /// a run stays apart when the argument before it is an option without `=`, since it may be
    /// that option's value.
    static func bundle(_ lines: [String]) -> [String] {
        var result: [String] = []
        var run: [String] = []
        func flush() {
            if run.count >= bundledRun {
                result.append(String(bundleMarker) + run.joined(separator: "\n"))
            } else {
                result.append(contentsOf: run)
            }
            run.removeAll()
        }
        for line in lines {
            let isName = line.hasSuffix(".proto") && !line.hasPrefix("-") && !line.contains("\n")
            let previous = run.last ?? result.last
            if isName, !(run.isEmpty && previous.map { $0.hasPrefix("-") && !$0.contains("=") } ?? false) {
                run.append(line)
            } else {
                flush()
                result.append(line)
            }
        }
        flush()
        return result
    }

    /// `arguments` with every `@path` replaced by the arguments its file holds.
    static func expand(_ arguments: [String]) throws -> [String] {
        guard arguments.contains(where: { $0.hasPrefix("@") }) else { return arguments }
        var expanded: [String] = []
        for argument in arguments {
            guard argument.hasPrefix("@") else {
                expanded.append(argument)
                continue
            }
            let path = String(argument.dropFirst())
            // Read at most one byte past the limit: a FIFO or device reports no size and may never end.
            guard let handle = FileHandle(forReadingAtPath: path) else {
                throw ValidationError("Could not read the response file \(path).")
            }
            defer { try? handle.close() }
            let data: Data
            do {
                data = try handle.read(upToCount: maximumBytes + 1) ?? Data()
            } catch {
                throw ValidationError("Could not read the response file \(path): \(error).")
            }
            guard data.count <= maximumBytes else {
                throw ValidationError("The response file \(path) is larger than \(maximumBytes >> 20) MiB.")
            }
            let lines = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline)
            expanded += bundle(lines.filter { !$0.isEmpty }.map(String.init))
        }
        return expanded
    }
}
