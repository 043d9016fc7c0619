/// Writes little-endian fields into a caller's buffer. Every store is bounds-checked
/// with a precondition: running out of room is a programming error, not a wire error.
@usableFromInline struct WireWriter {
    @usableFromInline let buffer: UnsafeMutableRawBufferPointer
    @usableFromInline private(set) var offset: Int

    @inlinable init(_ buffer: UnsafeMutableRawBufferPointer, at offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    @inlinable mutating func put<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        precondition(offset + size <= buffer.count, "frame buffer overflow on encode")
        buffer.storeBytes(of: value.littleEndian, toByteOffset: offset, as: T.self)
        offset += size
    }

    @inlinable mutating func u8(_ v: UInt8) { put(v) }
    @inlinable mutating func u16(_ v: UInt16) { put(v) }
    @inlinable mutating func u32(_ v: UInt32) { put(v) }
    @inlinable mutating func u64(_ v: UInt64) { put(v) }
    @inlinable mutating func i32(_ v: Int32) { put(v) }
    @inlinable mutating func i64(_ v: Int64) { put(v) }
    @inlinable mutating func f64(_ v: Double) { put(v.bitPattern) }
}

/// Reads little-endian fields from a received payload. The decoder checks a payload's
/// exact length before reading it, so the precondition here never fires on wire input.
@usableFromInline struct WireReader {
    @usableFromInline let buffer: UnsafeRawBufferPointer
    @usableFromInline private(set) var offset: Int

    @inlinable init(_ buffer: UnsafeRawBufferPointer, at offset: Int = 0) {
        self.buffer = buffer
        self.offset = offset
    }

    @inlinable var remaining: Int { buffer.count - offset }

    @inlinable mutating func take<T: FixedWidthInteger>(_: T.Type) -> T {
        let size = MemoryLayout<T>.size
        precondition(offset + size <= buffer.count, "read past the payload on decode")
        let value = T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    @inlinable mutating func u8() -> UInt8 { take(UInt8.self) }
    @inlinable mutating func u16() -> UInt16 { take(UInt16.self) }
    @inlinable mutating func u32() -> UInt32 { take(UInt32.self) }
    @inlinable mutating func u64() -> UInt64 { take(UInt64.self) }
    @inlinable mutating func i32() -> Int32 { take(Int32.self) }
    @inlinable mutating func i64() -> Int64 { take(Int64.self) }
    @inlinable mutating func f64() -> Double { Double(bitPattern: take(UInt64.self)) }
}
