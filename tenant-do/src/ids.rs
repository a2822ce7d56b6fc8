//! Randomness from the runtime's CSPRNG (`crypto.getRandomValues`), for
//! ids, salts and session tokens. Shared by the router and the actors.

/// `N` random bytes.
pub fn random_bytes<const N: usize>() -> worker::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes)
        .map_err(|e| worker::Error::RustError(format!("randomness unavailable: {e}")))?;
    Ok(bytes)
}

/// 16 random bytes as 32 hex characters.
pub fn new_id() -> worker::Result<String> {
    Ok(random_bytes::<16>()?
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}
