//! A file uploaded in parts is never held in memory whole: the heap's high-water mark during a
//! 20 MiB upload in 5 MiB parts, two at a time, stays near two parts. A binary of its own, as it
//! counts every allocation of the process (the local server's included: it keeps little of each
//! body, see `openai_tests::server::KEPT`).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const MB: u64 = 1 << 20;

#[tokio::test]
async fn a_chunked_upload_holds_the_parts_in_flight_not_the_file() {
    let size = 20 * MB;
    let dir = std::env::temp_dir().join(format!("openai-upload-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.jsonl");
    // Written in blocks, so the test itself never holds the file either.
    {
        use std::io::Write;
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for block in 0..size / 4096 {
            file.write_all(&[openai_tests::server::pattern(block * 4096); 4096])
                .unwrap();
        }
    }
    let server = openai_tests::server::uploads_server(5 * MB, &[]).await;
    let client = server.client().build().unwrap();

    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let upload = openai_tests::server::upload_in_parts(&client, &path, 5 * MB as usize, 2).await;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    std::fs::remove_dir_all(&dir).unwrap();

    assert_eq!(upload.status.to_string(), "completed");
    let parts = server
        .seen()
        .iter()
        .filter(|s| s.path().ends_with("/parts"))
        .count();
    assert_eq!(parts, 4);
    println!(
        "peak heap above the start during a 20 MiB upload in 5 MiB parts, 2 at a time: {:.1} MiB",
        peak as f64 / MB as f64
    );
    // Two parts in flight and a third being read: 15 MiB; the whole file would be 20 MiB more.
    assert!(peak < 16 * MB as usize, "peak {peak} bytes");
}
