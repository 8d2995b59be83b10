//! Regression test, in a test binary of its own so no other test shares the process: hashing
//! must not keep each hash's 19 MiB working memory resident. With a fresh buffer per hash (the
//! argon2 crate's convenience API) glibc kept every freed buffer: this test then measured
//! +209 MiB, and the benchmark a 575 MB peak. Each hashing thread now reuses one buffer.

#[cfg(target_os = "linux")]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hashing_memory_is_bounded_by_the_number_of_hashing_threads() {
    use beslecht::{auth::password::PasswordHasher, domain::Password};

    fn resident_kib() -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap();
        let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    let hasher = PasswordHasher::new(2);
    let password = Password::parse("een lang wachtwoord").unwrap();
    // Warm up: each of the two threads allocates its buffer once.
    for _ in 0..4 {
        hasher.hash(&password).await.unwrap();
    }
    let before = resident_kib();
    for _ in 0..30 {
        let phc = hasher.hash(&password).await.unwrap();
        assert!(hasher.verify("een lang wachtwoord", Some(&phc)).await.unwrap());
    }
    let grown_mib = resident_kib().saturating_sub(before) / 1024;
    // 60 hashes and verifications; one retained buffer each would be over 1 GiB.
    assert!(grown_mib < 40, "resident memory grew by {grown_mib} MiB");
}
