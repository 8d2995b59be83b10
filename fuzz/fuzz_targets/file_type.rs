#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| beslecht::fuzz::file_type(data));
