#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| openai_fuzz::encode(data));
