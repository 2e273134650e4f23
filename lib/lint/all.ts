/**
 * Every lint, in one explicit list (a static import list keeps startup fast and type-checked).
 * The meta-test fails when a lint file under rfc5280/, gmt0015/, crl/, ocsp/ or cms/ is missing here.
 */
import type { Lint } from './types.ts';
import { lint as e_aki_critical } from './rfc5280/e_aki_critical.ts';
import { lint as e_aki_ski_chain_mismatch } from './rfc5280/e_aki_ski_chain_mismatch.ts';
import { lint as e_ca_bc_missing_or_not_critical } from './rfc5280/e_ca_bc_missing_or_not_critical.ts';
import { lint as e_ca_ku_missing_certsign } from './rfc5280/e_ca_ku_missing_certsign.ts';
import { lint as e_der_encoding } from './rfc5280/e_der_encoding.ts';
import { lint as e_ee_is_ca } from './rfc5280/e_ee_is_ca.ts';
import { lint as e_ee_ku_certsign } from './rfc5280/e_ee_ku_certsign.ts';
import { lint as e_empty_subject_without_san } from './rfc5280/e_empty_subject_without_san.ts';
import { lint as e_ext_duplicate } from './rfc5280/e_ext_duplicate.ts';
import { lint as e_ext_malformed } from './rfc5280/e_ext_malformed.ts';
import { lint as e_issuer_subject_mismatch } from './rfc5280/e_issuer_subject_mismatch.ts';
import { lint as e_pathlen_without_certsign } from './rfc5280/e_pathlen_without_certsign.ts';
import { lint as e_serial_not_positive } from './rfc5280/e_serial_not_positive.ts';
import { lint as e_serial_too_long } from './rfc5280/e_serial_too_long.ts';
import { lint as e_serial_duplicate } from './rfc5280/e_serial_duplicate.ts';
import { lint as e_root_not_self_signed } from './rfc5280/e_root_not_self_signed.ts';
import { lint as e_tsa_eku_not_sole_critical } from './rfc5280/e_tsa_eku_not_sole_critical.ts';
import { lint as e_sig_alg_mismatch } from './rfc5280/e_sig_alg_mismatch.ts';
import { lint as e_ski_critical } from './rfc5280/e_ski_critical.ts';
import { lint as e_time_encoding } from './rfc5280/e_time_encoding.ts';
import { lint as e_validity_inverted } from './rfc5280/e_validity_inverted.ts';
import { lint as e_version_not_v3 } from './rfc5280/e_version_not_v3.ts';
import { lint as w_ca_ku_missing_crlsign } from './rfc5280/w_ca_ku_missing_crlsign.ts';
import { lint as w_serial_low_entropy } from './rfc5280/w_serial_low_entropy.ts';
import { lint as w_unique_id_present } from './rfc5280/w_unique_id_present.ts';
import { lint as w_unknown_critical_ext } from './rfc5280/w_unknown_critical_ext.ts';
import { lint as w_validity_exceeds_issuer } from './rfc5280/w_validity_exceeds_issuer.ts';
import { lint as e_aki_missing } from './gmt0015/e_aki_missing.ts';
import { lint as e_cn_ext_string_type } from './gmt0015/e_cn_ext_string_type.ts';
import { lint as e_country_not_printable_2 } from './gmt0015/e_country_not_printable_2.ts';
import { lint as e_enc_cert_has_signature_bits } from './gmt0015/e_enc_cert_has_signature_bits.ts';
import { lint as e_enc_cert_no_encipherment } from './gmt0015/e_enc_cert_no_encipherment.ts';
import { lint as e_identifycode_syntax } from './gmt0015/e_identifycode_syntax.ts';
import { lint as e_ku_missing } from './gmt0015/e_ku_missing.ts';
import { lint as e_pair_same_key } from './gmt0015/e_pair_same_key.ts';
import { lint as e_pair_enc_key_not_from_km } from './gmt0015/e_pair_enc_key_not_from_km.ts';
import { lint as w_tlcp_server_eku } from './gmt0015/w_tlcp_server_eku.ts';
import { lint as e_printable_bad_charset } from './gmt0015/e_printable_bad_charset.ts';
import { lint as e_sig_alg_is_sm2_sign_oid } from './gmt0015/e_sig_alg_is_sm2_sign_oid.ts';
import { lint as e_sig_alg_not_sm2_sm3 } from './gmt0015/e_sig_alg_not_sm2_sm3.ts';
import { lint as e_sig_alg_params_present } from './gmt0015/e_sig_alg_params_present.ts';
import { lint as e_sig_value_not_der_rs } from './gmt0015/e_sig_value_not_der_rs.ts';
import { lint as e_sign_cert_has_encipherment } from './gmt0015/e_sign_cert_has_encipherment.ts';
import { lint as e_sign_cert_no_digital_signature } from './gmt0015/e_sign_cert_no_digital_signature.ts';
import { lint as e_signature_invalid } from './gmt0015/e_signature_invalid.ts';
import { lint as e_signature_wrong_z } from './gmt0015/e_signature_wrong_z.ts';
import { lint as e_ski_missing_ca } from './gmt0015/e_ski_missing_ca.ts';
import { lint as e_spki_curve_is_scheme_oid } from './gmt0015/e_spki_curve_is_scheme_oid.ts';
import { lint as e_spki_not_sm2 } from './gmt0015/e_spki_not_sm2.ts';
import { lint as e_spki_point_invalid } from './gmt0015/e_spki_point_invalid.ts';
import { lint as n_aia_missing } from './gmt0015/n_aia_missing.ts';
import { lint as n_cn_ext_in_dn } from './gmt0015/n_cn_ext_in_dn.ts';
import { lint as n_cn_ext_legacy_oid } from './gmt0015/n_cn_ext_legacy_oid.ts';
import { lint as n_cn_ext_utf8 } from './gmt0015/n_cn_ext_utf8.ts';
import { lint as n_country_not_cn } from './gmt0015/n_country_not_cn.ts';
import { lint as n_identifycode_2012_form } from './gmt0015/n_identifycode_2012_form.ts';
import { lint as n_identifycode_implicit } from './gmt0015/n_identifycode_implicit.ts';
import { lint as n_sig_alg_params_null } from './gmt0015/n_sig_alg_params_null.ts';
import { lint as n_spki_point_compressed } from './gmt0015/n_spki_point_compressed.ts';
import { lint as n_uscc_oid_variant } from './gmt0015/n_uscc_oid_variant.ts';
import { lint as w_cn_ext_critical } from './gmt0015/w_cn_ext_critical.ts';
import { lint as w_cn_ext_in_ca } from './gmt0015/w_cn_ext_in_ca.ts';
import { lint as w_cn_id_checksum } from './gmt0015/w_cn_id_checksum.ts';
import { lint as w_crldp_missing } from './gmt0015/w_crldp_missing.ts';
import { lint as w_dirstring_type } from './gmt0015/w_dirstring_type.ts';
import { lint as w_dn_attr_too_long } from './gmt0015/w_dn_attr_too_long.ts';
import { lint as w_email_in_dn } from './gmt0015/w_email_in_dn.ts';
import { lint as w_ku_not_critical } from './gmt0015/w_ku_not_critical.ts';
import { lint as w_pair_subject_mismatch } from './gmt0015/w_pair_subject_mismatch.ts';
import { lint as w_root_has_aia_or_eku } from './gmt0015/w_root_has_aia_or_eku.ts';
import { lint as w_sign_cert_no_non_repudiation } from './gmt0015/w_sign_cert_no_non_repudiation.ts';
import { lint as w_ski_missing_ee } from './gmt0015/w_ski_missing_ee.ts';
import { lint as e_crl_aki_missing } from './crl/e_crl_aki_missing.ts';
import { lint as e_crl_critical_ext_flags } from './crl/e_crl_critical_ext_flags.ts';
import { lint as e_crl_duplicate_entry } from './crl/e_crl_duplicate_entry.ts';
import { lint as e_crl_invalidity_date_not_generalized } from './crl/e_crl_invalidity_date_not_generalized.ts';
import { lint as e_crl_issuer_no_crlsign } from './crl/e_crl_issuer_no_crlsign.ts';
import { lint as e_crl_next_before_this } from './crl/e_crl_next_before_this.ts';
import { lint as e_crl_next_update_missing } from './crl/e_crl_next_update_missing.ts';
import { lint as e_crl_number_invalid } from './crl/e_crl_number_invalid.ts';
import { lint as e_crl_reason_code_invalid } from './crl/e_crl_reason_code_invalid.ts';
import { lint as e_crl_version_not_v2 } from './crl/e_crl_version_not_v2.ts';
import { lint as w_crl_empty_revoked_seq } from './crl/w_crl_empty_revoked_seq.ts';
import { lint as w_crl_reason_unspecified } from './crl/w_crl_reason_unspecified.ts';
import { lint as e_ocsp_certid_hash_length } from './ocsp/e_ocsp_certid_hash_length.ts';
import { lint as e_ocsp_next_before_this } from './ocsp/e_ocsp_next_before_this.ts';
import { lint as e_ocsp_no_responses } from './ocsp/e_ocsp_no_responses.ts';
import { lint as e_ocsp_not_basic } from './ocsp/e_ocsp_not_basic.ts';
import { lint as e_ocsp_responder_id_mismatch } from './ocsp/e_ocsp_responder_id_mismatch.ts';
import { lint as e_ocsp_signer_not_authorized } from './ocsp/e_ocsp_signer_not_authorized.ts';
import { lint as n_ocsp_certid_hash_not_sm3 } from './ocsp/n_ocsp_certid_hash_not_sm3.ts';
import { lint as n_ocsp_unsuccessful_status } from './ocsp/n_ocsp_unsuccessful_status.ts';
import { lint as w_ocsp_signer_no_nocheck } from './ocsp/w_ocsp_signer_no_nocheck.ts';
import { lint as e_cms_digest_enc_alg_not_sm2 } from './cms/e_cms_digest_enc_alg_not_sm2.ts';
import { lint as e_cms_encrypted_digest_not_der_rs } from './cms/e_cms_encrypted_digest_not_der_rs.ts';
import { lint as e_cms_encrypted_key_not_sm2cipher } from './cms/e_cms_encrypted_key_not_sm2cipher.ts';
import { lint as e_cms_signature_invalid } from './cms/e_cms_signature_invalid.ts';
import { lint as e_cms_signer_digest_not_sm3 } from './cms/e_cms_signer_digest_not_sm3.ts';
import { lint as e_cms_sm2enc_oid_301_2 } from './cms/e_cms_sm2enc_oid_301_2.ts';
import { lint as e_cms_sm4cbc_iv_not_param } from './cms/e_cms_sm4cbc_iv_not_param.ts';
import { lint as e_cms_version } from './cms/e_cms_version.ts';
import { lint as n_cms_digest_enc_alg_sm2_sm3 } from './cms/n_cms_digest_enc_alg_sm2_sm3.ts';
import { lint as n_cms_encrypted_key_raw } from './cms/n_cms_encrypted_key_raw.ts';
import { lint as n_cms_pkcs7_content_type } from './cms/n_cms_pkcs7_content_type.ts';
import { lint as w_cms_not_der } from './cms/w_cms_not_der.ts';

export const ALL_LINTS: readonly Lint[] = [
  e_aki_critical,
  e_aki_ski_chain_mismatch,
  e_ca_bc_missing_or_not_critical,
  e_ca_ku_missing_certsign,
  e_der_encoding,
  e_ee_is_ca,
  e_ee_ku_certsign,
  e_empty_subject_without_san,
  e_ext_duplicate,
  e_ext_malformed,
  e_issuer_subject_mismatch,
  e_pathlen_without_certsign,
  e_serial_not_positive,
  e_serial_too_long,
  e_serial_duplicate,
  e_root_not_self_signed,
  e_tsa_eku_not_sole_critical,
  e_sig_alg_mismatch,
  e_ski_critical,
  e_time_encoding,
  e_validity_inverted,
  e_version_not_v3,
  w_ca_ku_missing_crlsign,
  w_serial_low_entropy,
  w_unique_id_present,
  w_unknown_critical_ext,
  w_validity_exceeds_issuer,
  e_aki_missing,
  e_cn_ext_string_type,
  e_country_not_printable_2,
  e_enc_cert_has_signature_bits,
  e_enc_cert_no_encipherment,
  e_identifycode_syntax,
  e_ku_missing,
  e_pair_same_key,
  e_pair_enc_key_not_from_km,
  e_printable_bad_charset,
  e_sig_alg_is_sm2_sign_oid,
  e_sig_alg_not_sm2_sm3,
  e_sig_alg_params_present,
  e_sig_value_not_der_rs,
  e_sign_cert_has_encipherment,
  e_sign_cert_no_digital_signature,
  e_signature_invalid,
  e_signature_wrong_z,
  e_ski_missing_ca,
  e_spki_curve_is_scheme_oid,
  e_spki_not_sm2,
  e_spki_point_invalid,
  n_aia_missing,
  n_cn_ext_in_dn,
  n_cn_ext_legacy_oid,
  n_cn_ext_utf8,
  n_country_not_cn,
  n_identifycode_2012_form,
  n_identifycode_implicit,
  n_sig_alg_params_null,
  n_spki_point_compressed,
  n_uscc_oid_variant,
  w_cn_ext_critical,
  w_cn_ext_in_ca,
  w_cn_id_checksum,
  w_crldp_missing,
  w_dirstring_type,
  w_dn_attr_too_long,
  w_email_in_dn,
  w_ku_not_critical,
  w_pair_subject_mismatch,
  w_root_has_aia_or_eku,
  w_sign_cert_no_non_repudiation,
  w_tlcp_server_eku,
  w_ski_missing_ee,
  e_crl_aki_missing,
  e_crl_critical_ext_flags,
  e_crl_duplicate_entry,
  e_crl_invalidity_date_not_generalized,
  e_crl_issuer_no_crlsign,
  e_crl_next_before_this,
  e_crl_next_update_missing,
  e_crl_number_invalid,
  e_crl_reason_code_invalid,
  e_crl_version_not_v2,
  w_crl_empty_revoked_seq,
  w_crl_reason_unspecified,
  e_ocsp_certid_hash_length,
  e_ocsp_next_before_this,
  e_ocsp_no_responses,
  e_ocsp_not_basic,
  e_ocsp_responder_id_mismatch,
  e_ocsp_signer_not_authorized,
  n_ocsp_certid_hash_not_sm3,
  n_ocsp_unsuccessful_status,
  w_ocsp_signer_no_nocheck,
  e_cms_digest_enc_alg_not_sm2,
  e_cms_encrypted_digest_not_der_rs,
  e_cms_encrypted_key_not_sm2cipher,
  e_cms_signature_invalid,
  e_cms_signer_digest_not_sm3,
  e_cms_sm2enc_oid_301_2,
  e_cms_sm4cbc_iv_not_param,
  e_cms_version,
  n_cms_digest_enc_alg_sm2_sm3,
  n_cms_encrypted_key_raw,
  n_cms_pkcs7_content_type,
  w_cms_not_der,
];
