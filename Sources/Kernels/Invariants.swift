/// Whether the kernels check their invariants after each call: in debug builds
/// (`PINGCHA_KERNEL_CHECKS`, set by Package.swift), never in release, as swift-collections does
/// with its internal checks.
@usableFromInline
let checksInvariants: Bool = {
    #if PINGCHA_KERNEL_CHECKS
    return true
    #else
    return false
    #endif
}()
