//! Links as C names them: a framing code and a payload limit.

use swapwire::frame::Profile;

use crate::boundary::Failure;
use crate::status::SWAPWIRE_INVALID_ARGUMENT;

/// Framing code: whole messages that the link checks and attributes (LoRaWAN, Meshtastic): no
/// CRC, no sender in the frame.
pub const SWAPWIRE_FRAMING_MESSAGE: u8 = 0;
/// Framing code: a byte stream (serial, raw LoRa, a satellite modem's UART): COBS-delimited,
/// length-prefixed, CRC-32 checked, the sender in the frame.
pub const SWAPWIRE_FRAMING_STREAM: u8 = 1;

/// Payload of LoRaWAN US915 DR0, in bytes (message framing).
pub const SWAPWIRE_PAYLOAD_LORAWAN_US915_DR0: usize = 11;
/// Payload of LoRaWAN EU868 DR0 to DR2, in bytes (message framing).
pub const SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0: usize = 51;
/// Payload of LoRaWAN EU868 DR3, in bytes (message framing).
pub const SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR3: usize = 115;
/// Payload of LoRaWAN EU868 DR4 and up, repeater-safe, in bytes (message framing).
pub const SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR4: usize = 222;
/// Payload of a Meshtastic data packet, in bytes (message framing).
pub const SWAPWIRE_PAYLOAD_MESHTASTIC: usize = 233;
/// An Iridium SBD mobile-originated message through the modem's serial port, in bytes
/// (stream framing).
pub const SWAPWIRE_PAYLOAD_IRIDIUM_SBD_MO: usize = 340;
/// A serial line or raw LoRa point-to-point packet, in bytes (stream framing).
pub const SWAPWIRE_PAYLOAD_SERIAL: usize = 255;

/// The largest frame the C API writes or reads, stream framing included, in bytes: the bound
/// on a link's `payload` and the size of a stream decoder's buffer.
pub const SWAPWIRE_FRAME_MAX_SIZE: usize = 512;

/// A link: how it frames (`SWAPWIRE_FRAMING_*`) and how many bytes one message carries,
/// framing included (1 to `SWAPWIRE_FRAME_MAX_SIZE`; the `SWAPWIRE_PAYLOAD_*` values name the
/// common links).
///
/// ```c
/// swapwire_link lora = {SWAPWIRE_FRAMING_MESSAGE, SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0};
/// swapwire_link sbd = {SWAPWIRE_FRAMING_STREAM, SWAPWIRE_PAYLOAD_IRIDIUM_SBD_MO};
/// ```
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct swapwire_link {
    /// A `SWAPWIRE_FRAMING_*` code.
    pub framing: u8,
    /// The most bytes one message may carry, framing included.
    pub payload: usize,
}

impl swapwire_link {
    /// The core profile, after checking the framing code and the payload's range.
    pub(crate) fn profile(&self) -> Result<Profile, Failure> {
        if self.payload == 0 || self.payload > SWAPWIRE_FRAME_MAX_SIZE {
            return Err(SWAPWIRE_INVALID_ARGUMENT.into());
        }
        match self.framing {
            SWAPWIRE_FRAMING_MESSAGE => Ok(Profile::message("C link", self.payload)),
            SWAPWIRE_FRAMING_STREAM => Ok(Profile::stream("C link", self.payload)),
            _ => Err(SWAPWIRE_INVALID_ARGUMENT.into()),
        }
    }
}

/// The link's sender as C passes it: NULL when the link does not say.
///
/// # Safety
/// `p` is NULL or points to a readable `u32`.
pub(crate) unsafe fn link_sender(p: *const u32) -> Option<u32> {
    // SAFETY: per the contract, non-NULL means readable.
    unsafe { p.as_ref() }.copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use swapwire::frame::Framing;

    #[test]
    fn payloads_are_the_core_profiles() {
        for (payload, framing, profile) in [
            (SWAPWIRE_PAYLOAD_LORAWAN_US915_DR0, SWAPWIRE_FRAMING_MESSAGE, Profile::LORAWAN_US915_DR0),
            (SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR0, SWAPWIRE_FRAMING_MESSAGE, Profile::LORAWAN_EU868_DR0),
            (SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR3, SWAPWIRE_FRAMING_MESSAGE, Profile::LORAWAN_EU868_DR3),
            (SWAPWIRE_PAYLOAD_LORAWAN_EU868_DR4, SWAPWIRE_FRAMING_MESSAGE, Profile::LORAWAN_EU868_DR4),
            (SWAPWIRE_PAYLOAD_MESHTASTIC, SWAPWIRE_FRAMING_MESSAGE, Profile::MESHTASTIC),
            (SWAPWIRE_PAYLOAD_IRIDIUM_SBD_MO, SWAPWIRE_FRAMING_STREAM, Profile::IRIDIUM_SBD_MO),
            (SWAPWIRE_PAYLOAD_SERIAL, SWAPWIRE_FRAMING_STREAM, Profile::SERIAL),
        ] {
            let got = swapwire_link { framing, payload }.profile().unwrap();
            assert_eq!((got.payload, got.framing), (profile.payload, profile.framing), "{}", profile.name);
            assert!(payload <= SWAPWIRE_FRAME_MAX_SIZE);
        }
        assert_eq!(
            swapwire_link { framing: SWAPWIRE_FRAMING_STREAM, payload: 1 }.profile().unwrap().framing,
            Framing::Stream
        );
    }

    #[test]
    fn bad_links_are_refused() {
        for (framing, payload) in [(2, 51), (u8::MAX, 51), (0, 0), (1, SWAPWIRE_FRAME_MAX_SIZE + 1), (0, usize::MAX)] {
            assert_eq!(swapwire_link { framing, payload }.profile(), Err(SWAPWIRE_INVALID_ARGUMENT.into()));
        }
    }
}
