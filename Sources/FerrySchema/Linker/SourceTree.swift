import Foundation

/// Finds `.proto` files the way protoc's `--proto_path` does: a file's name is its path
/// relative to an import path (its "virtual" name), and the first import path that has the
/// file wins.
public struct SourceTree: Sendable {
    /// The directories searched, in order.
    public var importPaths: [String]

    /// Creates a source tree over `importPaths` (protoc's `-I` values, in order).
    public init(importPaths: [String]) {
        self.importPaths = importPaths
    }

    /// Reads the file with virtual name `name`, or returns `nil` if no import path has it.
    public func read(_ name: String) -> SourceFile? {
        guard Self.isValidVirtualName(name) else { return nil }
        for root in importPaths {
            let path = Self.join(root, name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  let data = FileManager.default.contents(atPath: path)
            else { continue }
            return SourceFile(name: name, bytes: [UInt8](data))
        }
        return nil
    }

    /// The virtual name of a file named on the command line: a path on disk inside an import
    /// path maps to its relative path there; anything else is taken as a virtual name.
    public func virtualName(forInput input: String) -> Result<String, InputError> {
        guard FileManager.default.fileExists(atPath: input) else { return .success(input) }
        let absolute = Self.normalize(input)
        for root in importPaths {
            let rootPath = Self.normalize(root)
            if rootPath.isEmpty || rootPath == "." {
                if !input.hasPrefix("/") { return .success(Self.normalize(input)) }
                continue
            }
            if absolute.hasPrefix(rootPath + "/") {
                return .success(String(absolute.dropFirst(rootPath.count + 1)))
            }
        }
        if importPaths.isEmpty, !input.hasPrefix("/") { return .success(Self.normalize(input)) }
        return .failure(InputError(input: input))
    }

    /// A command-line file outside every import path.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        /// The file as given.
        public var input: String
        public var description: String {
            "\(input): File does not reside within any path specified using --proto_path (or -I).  You must specify a --proto_path which encompasses this file.  Note that the proto_path must be an exact prefix of the .proto file names -- protoc is too dumb to figure out when two paths (e.g. absolute and relative) are equivalent (it's harder than you think)."
        }
    }

    static func isValidVirtualName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    static func join(_ root: String, _ name: String) -> String {
        if root.isEmpty || root == "." { return name }
        return root.hasSuffix("/") ? root + name : root + "/" + name
    }

    /// Collapses `.` and empty components and strips a trailing slash (no symlink resolution,
    /// as protoc).
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/") where part != "." {
            if part == "..", let last = parts.last, last != ".." { parts.removeLast() } else { parts.append(part) }
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : joined
    }
}
