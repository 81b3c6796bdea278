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

    /// The virtual name of a file named on the command line, as protoc maps it: a path that
    /// exists on disk inside an import path becomes its path relative to that import path;
    /// anything else must be a virtual name some import path has.
    public func virtualName(forInput input: String) -> Result<String, InputError> {
        guard FileManager.default.fileExists(atPath: input) else {
            return read(input) != nil ? .success(input) : .failure(InputError(input: input, kind: .notFound))
        }
        let normalized = Self.normalize(input)
        for (index, root) in importPaths.enumerated() {
            let rootPath = Self.normalize(root)
            let relative: String
            if rootPath.isEmpty || rootPath == "." {
                guard !normalized.hasPrefix("/") else { continue }
                relative = normalized
            } else if normalized.hasPrefix(rootPath + "/") {
                relative = String(normalized.dropFirst(rootPath.count + 1))
            } else {
                continue
            }
            for earlier in importPaths[..<index] {
                let shadow = Self.join(earlier, relative)
                if FileManager.default.fileExists(atPath: shadow) {
                    return .failure(InputError(input: input, kind: .shadowed(by: shadow)))
                }
            }
            return .success(relative)
        }
        if read(input) != nil { return .success(input) }
        return .failure(InputError(input: input, kind: .outsideImportPaths))
    }

    /// A command-line file that cannot be mapped to a virtual name.
    public struct InputError: Error, Sendable, CustomStringConvertible {
        /// Why a command-line file cannot be compiled.
        public enum Kind: Sendable, Hashable {
            /// Neither a file on disk nor a virtual name any import path has.
            case notFound
            /// On disk, but inside no import path.
            case outsideImportPaths
            /// Inside an import path, but an earlier import path has a file with the same name.
            case shadowed(by: String)
        }

        /// The file as given.
        public var input: String
        /// What is wrong with it.
        public var kind: Kind

        /// protoc's message for the problem.
        public var description: String {
            switch kind {
            case .notFound:
                "Could not make proto path relative: \(input): No such file or directory"
            case .outsideImportPaths:
                """
                \(input): File does not reside within any path specified using --proto_path (or -I).  You must specify \
                a --proto_path which encompasses this file.  Note that the proto_path must be an exact prefix of the \
                .proto file names -- protoc is too dumb to figure out when two paths (e.g. absolute and relative) are \
                equivalent (it's harder than you think).
                """
            case .shadowed(let other):
                """
                \(input): Input is shadowed in the --proto_path by \"\(other)\".  Either use the latter file as your \
                input or reorder the --proto_path so that the former file's location comes first.
                """
            }
        }
    }

    static func isValidVirtualName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains {
            $0.isEmpty || $0 == "." || $0 == ".."
        }
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
