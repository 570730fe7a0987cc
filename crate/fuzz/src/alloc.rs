//! A counting global allocator: live bytes and their peak, per thread, so that two targets
//! fuzzed side by side on two threads each measure only their own allocations.
//!
//! The counters are `const`-initialised thread-locals without destructors: reading them never
//! allocates, so the allocator cannot recurse into itself.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

thread_local! {
    // Signed: memory freed on another thread than the one that allocated it counts there.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn grew(bytes: usize) {
    let _ = LIVE.try_with(|live| {
        let now = live.get().saturating_add(bytes as isize);
        live.set(now);
        let _ = PEAK.try_with(|peak| {
            if now > peak.get() {
                peak.set(now);
            }
        });
    });
}

fn shrank(bytes: usize) {
    let _ = LIVE.try_with(|live| live.set(live.get().saturating_sub(bytes as isize)));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only counters are kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            // Both blocks may exist for a moment: count the new one before dropping the old.
            grew(new_size);
            shrank(layout.size());
        }
        new
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Bytes allocated and not yet freed by this thread.
pub fn live() -> isize {
    LIVE.with(Cell::get)
}

/// Starts a measurement: the peak is set to what is live now.
pub fn reset_peak() {
    let now = live();
    PEAK.with(|peak| peak.set(now));
}

/// The most bytes live at once on this thread since [`reset_peak`], above the level then.
pub fn peak_since(start: isize) -> usize {
    let peak = PEAK.with(Cell::get);
    usize::try_from(peak.saturating_sub(start)).unwrap_or(0)
}

/// Measures `body`: its result and the peak bytes it had live on top of what was live before.
pub fn measure<T>(body: impl FnOnce() -> T) -> (T, usize) {
    let start = live();
    reset_peak();
    let result = body();
    (result, peak_since(start))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_peak_of_a_temporary_allocation_is_counted() {
        let (len, peak) = measure(|| {
            let big = vec![1u8; 3 << 20];
            big.len()
        });
        assert_eq!(len, 3 << 20);
        assert!(peak >= 3 << 20, "peak {peak}");
        assert!(peak < 4 << 20, "peak {peak}");
        // Nothing stays live after the buffer is dropped.
        let (_, small) = measure(|| 1 + 1);
        assert!(small < 1024, "{small}");
    }

    #[test]
    fn other_threads_do_not_count_here() {
        let (_, peak) = measure(|| {
            std::thread::scope(|scope| {
                scope.spawn(|| vec![0u8; 8 << 20].len()).join().unwrap();
            })
        });
        assert!(peak < 1 << 20, "peak {peak}");
    }
}
