extension FileLinker {
    mutating func interpretAllOptions() {}
}
