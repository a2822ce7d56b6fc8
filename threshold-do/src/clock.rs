//! governor's clock on Workers: `std::time` panics in wasm, so time comes
//! from `Date.now()` (milliseconds since the epoch, advancing within a request).

use std::time::Duration;

use governor::clock::Clock;

/// The Workers time, as governor's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct WorkersClock;

impl Clock for WorkersClock {
    type Instant = Duration;

    fn now(&self) -> Duration {
        Duration::from_millis(worker::Date::now().as_millis())
    }
}
