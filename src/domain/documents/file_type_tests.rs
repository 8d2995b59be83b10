use proptest::prelude::*;

use super::*;

fn text_ok(bytes: &[u8]) -> bool {
    let mut t = TextCheck::default();
    t.feed(bytes);
    t.finish()
}

#[test]
fn magic_numbers_are_recognised() {
    assert_eq!(sniff(b"%PDF-1.7\n%\xE2\xE3", false), Sniff::Pdf);
    assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", false), Sniff::Png);
    assert_eq!(sniff(b"\xFF\xD8\xFF\xE0\0\x10JFIF", false), Sniff::Jpeg);
    assert!(is_zip(b"PK\x03\x04\x14\0"));
    assert_eq!(sniff(b"PK\x03\x04\x14\0", false), Sniff::Unknown);
}

#[test]
fn programs_scripts_and_markup_are_refused() {
    for bytes in [
        &b"MZ\x90\0\x03\0\0\0"[..],
        b"\x7FELF\x02\x01\x01",
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
    ] {
        assert!(matches!(sniff(bytes, false), Sniff::Refused { .. }), "{bytes:?}");
    }
    for text in [
        "#!/bin/sh\nrm -rf /\n",
        "  <HTML><body>",
        "<svg xmlns=",
        "\u{FEFF}<script>",
        "<?php echo 1;",
    ] {
        assert!(text_ok(text.as_bytes()));
        assert!(
            matches!(sniff(text.as_bytes(), true), Sniff::Refused { .. }),
            "{text:?}"
        );
    }
}

#[test]
fn mail_is_told_from_plain_text() {
    let mail = b"Received: from mx.example.nl\r\n\tby gemeente.nl\r\nFrom: Jan <jan@example.nl>\r\nSubject: Tarieven\r\n\r\nBeste,\r\n";
    assert_eq!(sniff(mail, true), Sniff::Text { email: true });
    assert_eq!(
        sniff(b"Notitie: bel de regio\nAfspraak: dinsdag\n", true),
        Sniff::Text { email: false }
    );
    assert_eq!(
        sniff(b"Gewoon een brief.\n\nMet groet", true),
        Sniff::Text { email: false }
    );
    assert_eq!(
        FileType::decide(&Sniff::Text { email: true }, "eml"),
        Ok(FileType::Email)
    );
    assert_eq!(
        FileType::decide(&Sniff::Text { email: true }, "txt"),
        Ok(FileType::Text)
    );
    assert!(FileType::decide(&Sniff::Text { email: false }, "eml").is_err());
}

#[test]
fn the_extension_must_agree_with_the_bytes() {
    assert_eq!(FileType::decide(&Sniff::Pdf, "pdf"), Ok(FileType::Pdf));
    assert_eq!(FileType::decide(&Sniff::Jpeg, "jpeg"), Ok(FileType::Jpeg));
    assert_eq!(FileType::decide(&Sniff::Jpeg, "jpg"), Ok(FileType::Jpeg));
    let (en, nl) = FileType::decide(&Sniff::Png, "pdf").unwrap_err();
    assert_eq!(en, "the file's content is .png, but its name ends in .pdf");
    assert!(nl.contains(".png"));
    assert!(FileType::decide(&Sniff::Pdf, "exe").is_err());
    assert!(FileType::decide(&Sniff::Unknown, "pdf").is_err());
}

#[test]
fn office_containers_are_told_apart_and_macros_refused() {
    let facts = |names: &[&str], mimetype: Option<&str>| ZipFacts {
        names: names.iter().map(|s| s.to_string()).collect(),
        mimetype: mimetype.map(str::to_owned),
        ..ZipFacts::default()
    };
    assert_eq!(
        facts(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"], None).sniff(),
        Sniff::Office(FileType::Docx)
    );
    assert_eq!(
        facts(&["[Content_Types].xml", "xl/workbook.xml"], None).sniff(),
        Sniff::Office(FileType::Xlsx)
    );
    assert_eq!(
        facts(
            &["mimetype", "content.xml"],
            Some("application/vnd.oasis.opendocument.text")
        )
        .sniff(),
        Sniff::Office(FileType::Odt)
    );
    assert_eq!(
        facts(&["mimetype"], Some("application/vnd.oasis.opendocument.spreadsheet")).sniff(),
        Sniff::Office(FileType::Ods)
    );
    assert!(matches!(
        facts(
            &["[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"],
            None
        )
        .sniff(),
        Sniff::Refused { .. }
    ));
    assert!(matches!(
        facts(
            &["mimetype", "Basic/Standard/Module1.xml"],
            Some("application/vnd.oasis.opendocument.text")
        )
        .sniff(),
        Sniff::Refused { .. }
    ));
    assert!(matches!(facts(&["evil.exe"], None).sniff(), Sniff::Refused { .. }));
}

#[test]
fn text_check_refuses_binary_and_broken_utf8() {
    assert!(text_ok("Geachte heer, één café\r\n\tTotaal: € 12,50\x0C".as_bytes()));
    assert!(!text_ok(b"abc\0def"));
    assert!(!text_ok(b"bell\x07"));
    assert!(!text_ok(b"del\x7F"));
    assert!(!text_ok(b"\xC3\x28"));
    // Ends inside a character.
    assert!(!text_ok(b"caf\xC3"));
    assert!(text_ok(b""));
}

proptest! {
    /// However a stream is cut into chunks, the verdict is the one for the whole.
    #[test]
    fn text_check_does_not_depend_on_chunking(
        bytes in prop_oneof![
            any::<String>().prop_map(String::into_bytes),
            proptest::collection::vec(any::<u8>(), 0..64),
        ],
        cuts in proptest::collection::vec(0usize..64, 0..8),
    ) {
        let whole = text_ok(&bytes);
        let mut t = TextCheck::default();
        let mut rest = &bytes[..];
        for c in cuts {
            let at = c.min(rest.len());
            let (a, b) = rest.split_at(at);
            t.feed(a);
            rest = b;
        }
        t.feed(rest);
        prop_assert_eq!(t.finish(), whole);
    }
}
