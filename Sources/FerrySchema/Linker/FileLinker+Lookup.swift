/// Name resolution with protobuf's scoping rules.
extension FileLinker {
    /// What a failed look-up knows, to explain the failure the way protoc does.
    struct LookupFailure {
        /// A symbol with the name exists, but in a file this file does not import.
        var undeclaredDependency: (name: String, file: String)?
        /// The first component resolved, the full name did not.
        var resolvedButUndefined: String?
    }

    /// Finds a fully-qualified name among the symbols this file may see.
    func findVisible(_ name: String, failure: inout LookupFailure) -> (String, SymbolTable.Symbol)? {
        guard let symbol = table.symbol(named: name) else { return nil }
        if visibleFiles.contains(symbol.file) {
            importUsage.unused.remove(symbol.file)
            return (name, symbol)
        }
        if symbol.kind == .package {
            // A package may be spread over several files; any visible one will do.
            if visibleFiles.contains(where: { table.file($0, isInPackage: name) }) { return (name, symbol) }
        }
        failure.undeclaredDependency = (name, symbol.file)
        return nil
    }

    /// Resolves `name` as written in the scope `relativeTo` (the full name of the element that
    /// refers to it): innermost scope first, and a compound name binds its first component in
    /// the innermost scope that has it.
    func lookup(
        _ name: String,
        relativeTo: String,
        typesOnly: Bool = false,
        failure: inout LookupFailure
    ) -> (String, SymbolTable.Symbol)? {
        failure = LookupFailure()
        if name.hasPrefix(".") {
            return findVisible(String(name.dropFirst()), failure: &failure)
        }
        let firstPart: Substring = name.firstIndex(of: ".").map { name[..<$0] } ?? Substring(name)
        var scope = relativeTo
        while true {
            guard let dot = scope.lastIndex(of: ".") else {
                return findVisible(name, failure: &failure)
            }
            scope = String(scope[..<dot])
            let candidate = scope + "." + firstPart
            if let found = findVisible(candidate, failure: &failure) {
                if firstPart.count < name.count {
                    if found.1.kind.isAggregate {
                        let full = scope + "." + name
                        let result = findVisible(full, failure: &failure)
                        if result == nil { failure.resolvedButUndefined = full }
                        return result
                    }
                } else if !typesOnly || found.1.kind.isType {
                    return found
                }
            }
        }
    }

    /// Reports that `name` could not be resolved, with protoc's explanation.
    mutating func reportNotDefined(_ name: String, failure: LookupFailure, at path: [Int32]) {
        if failure.undeclaredDependency == nil && failure.resolvedButUndefined == nil {
            error("\"\(name)\" is not defined.", at: path)
            return
        }
        if let (symbol, file) = failure.undeclaredDependency {
            error(
                """
                \"\(symbol)\" seems to be defined in \"\(file)\", which is not imported by \"\(fileName)\".  To use it \
                here, please add the necessary import.
                """,
                at: path
            )
        }
        if let resolved = failure.resolvedButUndefined {
            error(
                """
                \"\(name)\" is resolved to \"\(resolved)\", which is not defined. The innermost scope is searched \
                first in name resolution. Consider using a leading '.'(i.e., \".\(name)\") to start from the outermost \
                scope.
                """,
                at: path
            )
        }
    }
}
