// The C maths library in one place, so that every file of the model calls the same
// functions on Linux and on macOS without importing Foundation.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The elementary functions the model uses, named as in C.
enum Libm {
    @inline(__always) static func exp(_ x: Double) -> Double { cExp(x) }
    @inline(__always) static func log(_ x: Double) -> Double { cLog(x) }
    @inline(__always) static func pow(_ x: Double, _ y: Double) -> Double { cPow(x, y) }
    @inline(__always) static func cbrt(_ x: Double) -> Double { cCbrt(x) }
    @inline(__always) static func sin(_ x: Double) -> Double { cSin(x) }
}

// Free forwarding functions: inside `Libm` an unqualified `exp` would name the member itself.
@inline(__always) private func cExp(_ x: Double) -> Double { exp(x) }
@inline(__always) private func cLog(_ x: Double) -> Double { log(x) }
@inline(__always) private func cPow(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inline(__always) private func cCbrt(_ x: Double) -> Double { cbrt(x) }
@inline(__always) private func cSin(_ x: Double) -> Double { sin(x) }
