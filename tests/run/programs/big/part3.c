/* part3.c - generated part of the 'big' program: 60 functions that
 * call each other across objects, with tables of pointers and strings. */
long f0_0(long);
long f0_1(long);
long f0_2(long);
long f0_3(long);
long f0_4(long);
long f0_5(long);
long f0_6(long);
long f0_7(long);
long f0_8(long);
long f0_9(long);
long f0_10(long);
long f0_11(long);
long f0_12(long);
long f0_13(long);
long f0_14(long);
long f0_15(long);
long f0_16(long);
long f0_17(long);
long f0_18(long);
long f0_19(long);
long f0_20(long);
long f0_21(long);
long f0_22(long);
long f0_23(long);
long f0_24(long);
long f0_25(long);
long f0_26(long);
long f0_27(long);
long f0_28(long);
long f0_29(long);
long f0_30(long);
long f0_31(long);
long f0_32(long);
long f0_33(long);
long f0_34(long);
long f0_35(long);
long f0_36(long);
long f0_37(long);
long f0_38(long);
long f0_39(long);
long f0_40(long);
long f0_41(long);
long f0_42(long);
long f0_43(long);
long f0_44(long);
long f0_45(long);
long f0_46(long);
long f0_47(long);
long f0_48(long);
long f0_49(long);
long f0_50(long);
long f0_51(long);
long f0_52(long);
long f0_53(long);
long f0_54(long);
long f0_55(long);
long f0_56(long);
long f0_57(long);
long f0_58(long);
long f0_59(long);
long f1_0(long);
long f1_1(long);
long f1_2(long);
long f1_3(long);
long f1_4(long);
long f1_5(long);
long f1_6(long);
long f1_7(long);
long f1_8(long);
long f1_9(long);
long f1_10(long);
long f1_11(long);
long f1_12(long);
long f1_13(long);
long f1_14(long);
long f1_15(long);
long f1_16(long);
long f1_17(long);
long f1_18(long);
long f1_19(long);
long f1_20(long);
long f1_21(long);
long f1_22(long);
long f1_23(long);
long f1_24(long);
long f1_25(long);
long f1_26(long);
long f1_27(long);
long f1_28(long);
long f1_29(long);
long f1_30(long);
long f1_31(long);
long f1_32(long);
long f1_33(long);
long f1_34(long);
long f1_35(long);
long f1_36(long);
long f1_37(long);
long f1_38(long);
long f1_39(long);
long f1_40(long);
long f1_41(long);
long f1_42(long);
long f1_43(long);
long f1_44(long);
long f1_45(long);
long f1_46(long);
long f1_47(long);
long f1_48(long);
long f1_49(long);
long f1_50(long);
long f1_51(long);
long f1_52(long);
long f1_53(long);
long f1_54(long);
long f1_55(long);
long f1_56(long);
long f1_57(long);
long f1_58(long);
long f1_59(long);
long f2_0(long);
long f2_1(long);
long f2_2(long);
long f2_3(long);
long f2_4(long);
long f2_5(long);
long f2_6(long);
long f2_7(long);
long f2_8(long);
long f2_9(long);
long f2_10(long);
long f2_11(long);
long f2_12(long);
long f2_13(long);
long f2_14(long);
long f2_15(long);
long f2_16(long);
long f2_17(long);
long f2_18(long);
long f2_19(long);
long f2_20(long);
long f2_21(long);
long f2_22(long);
long f2_23(long);
long f2_24(long);
long f2_25(long);
long f2_26(long);
long f2_27(long);
long f2_28(long);
long f2_29(long);
long f2_30(long);
long f2_31(long);
long f2_32(long);
long f2_33(long);
long f2_34(long);
long f2_35(long);
long f2_36(long);
long f2_37(long);
long f2_38(long);
long f2_39(long);
long f2_40(long);
long f2_41(long);
long f2_42(long);
long f2_43(long);
long f2_44(long);
long f2_45(long);
long f2_46(long);
long f2_47(long);
long f2_48(long);
long f2_49(long);
long f2_50(long);
long f2_51(long);
long f2_52(long);
long f2_53(long);
long f2_54(long);
long f2_55(long);
long f2_56(long);
long f2_57(long);
long f2_58(long);
long f2_59(long);
long f4_0(long);
long f4_1(long);
long f4_2(long);
long f4_3(long);
long f4_4(long);
long f4_5(long);
long f4_6(long);
long f4_7(long);
long f4_8(long);
long f4_9(long);
long f4_10(long);
long f4_11(long);
long f4_12(long);
long f4_13(long);
long f4_14(long);
long f4_15(long);
long f4_16(long);
long f4_17(long);
long f4_18(long);
long f4_19(long);
long f4_20(long);
long f4_21(long);
long f4_22(long);
long f4_23(long);
long f4_24(long);
long f4_25(long);
long f4_26(long);
long f4_27(long);
long f4_28(long);
long f4_29(long);
long f4_30(long);
long f4_31(long);
long f4_32(long);
long f4_33(long);
long f4_34(long);
long f4_35(long);
long f4_36(long);
long f4_37(long);
long f4_38(long);
long f4_39(long);
long f4_40(long);
long f4_41(long);
long f4_42(long);
long f4_43(long);
long f4_44(long);
long f4_45(long);
long f4_46(long);
long f4_47(long);
long f4_48(long);
long f4_49(long);
long f4_50(long);
long f4_51(long);
long f4_52(long);
long f4_53(long);
long f4_54(long);
long f4_55(long);
long f4_56(long);
long f4_57(long);
long f4_58(long);
long f4_59(long);
long f3_0(long);
long f3_1(long);
long f3_2(long);
long f3_3(long);
long f3_4(long);
long f3_5(long);
long f3_6(long);
long f3_7(long);
long f3_8(long);
long f3_9(long);
long f3_10(long);
long f3_11(long);
long f3_12(long);
long f3_13(long);
long f3_14(long);
long f3_15(long);
long f3_16(long);
long f3_17(long);
long f3_18(long);
long f3_19(long);
long f3_20(long);
long f3_21(long);
long f3_22(long);
long f3_23(long);
long f3_24(long);
long f3_25(long);
long f3_26(long);
long f3_27(long);
long f3_28(long);
long f3_29(long);
long f3_30(long);
long f3_31(long);
long f3_32(long);
long f3_33(long);
long f3_34(long);
long f3_35(long);
long f3_36(long);
long f3_37(long);
long f3_38(long);
long f3_39(long);
long f3_40(long);
long f3_41(long);
long f3_42(long);
long f3_43(long);
long f3_44(long);
long f3_45(long);
long f3_46(long);
long f3_47(long);
long f3_48(long);
long f3_49(long);
long f3_50(long);
long f3_51(long);
long f3_52(long);
long f3_53(long);
long f3_54(long);
long f3_55(long);
long f3_56(long);
long f3_57(long);
long f3_58(long);
long f3_59(long);
static const char *const names3[] = { "f3_0", "f3_1", "f3_2", "f3_3", "f3_4", "f3_5", "f3_6", "f3_7", "f3_8", "f3_9", "f3_10", "f3_11", "f3_12", "f3_13", "f3_14", "f3_15", "f3_16", "f3_17", "f3_18", "f3_19", "f3_20", "f3_21", "f3_22", "f3_23", "f3_24", "f3_25", "f3_26", "f3_27", "f3_28", "f3_29", "f3_30", "f3_31", "f3_32", "f3_33", "f3_34", "f3_35", "f3_36", "f3_37", "f3_38", "f3_39", "f3_40", "f3_41", "f3_42", "f3_43", "f3_44", "f3_45", "f3_46", "f3_47", "f3_48", "f3_49", "f3_50", "f3_51", "f3_52", "f3_53", "f3_54", "f3_55", "f3_56", "f3_57", "f3_58", "f3_59" };
const char *name3(int i) { return names3[i]; }
long f3_0(long x)
{
	long r = x * 3 + 34;
	return r % 1000000007;
}
long f3_1(long x)
{
	long r = x * 4 + 34;
	if (x > 0) r += f4_0(x - 1) % 98;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_2(long x)
{
	long r = x * 5 + 34;
	if (x > 0) r += f4_0(x - 1) % 99;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_3(long x)
{
	long r = x * 6 + 34;
	if (x > 0) r += f4_0(x - 1) % 100;
	r ^= r >> 4;
	return r % 1000000007;
}
long f3_4(long x)
{
	long r = x * 7 + 34;
	if (x > 0) r += f4_0(x - 1) % 101;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_5(long x)
{
	long r = x * 8 + 34;
	if (x > 0) r += f4_0(x - 1) % 102;
	return r % 1000000007;
}
long f3_6(long x)
{
	long r = x * 9 + 34;
	if (x > 0) r += f4_0(x - 1) % 103;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_7(long x)
{
	long r = x * 10 + 34;
	if (x > 0) r += f4_0(x - 1) % 104;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_8(long x)
{
	long r = x * 11 + 34;
	if (x > 0) r += f4_0(x - 1) % 105;
	r ^= r >> 2;
	return r % 1000000007;
}
long f3_9(long x)
{
	long r = x * 12 + 34;
	if (x > 0) r += f4_0(x - 1) % 106;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_10(long x)
{
	long r = x * 13 + 34;
	if (x > 0) r += f4_0(x - 1) % 107;
	return r % 1000000007;
}
long f3_11(long x)
{
	long r = x * 14 + 34;
	if (x > 0) r += f4_0(x - 1) % 108;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_12(long x)
{
	long r = x * 15 + 34;
	if (x > 0) r += f4_0(x - 1) % 109;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_13(long x)
{
	long r = x * 16 + 34;
	if (x > 0) r += f4_0(x - 1) % 110;
	r ^= r >> 7;
	return r % 1000000007;
}
long f3_14(long x)
{
	long r = x * 17 + 34;
	if (x > 0) r += f4_0(x - 1) % 111;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_15(long x)
{
	long r = x * 18 + 34;
	if (x > 0) r += f4_0(x - 1) % 112;
	return r % 1000000007;
}
long f3_16(long x)
{
	long r = x * 19 + 34;
	if (x > 0) r += f4_0(x - 1) % 113;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_17(long x)
{
	long r = x * 20 + 34;
	if (x > 0) r += f4_0(x - 1) % 114;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_18(long x)
{
	long r = x * 21 + 34;
	if (x > 0) r += f4_0(x - 1) % 115;
	r ^= r >> 5;
	return r % 1000000007;
}
long f3_19(long x)
{
	long r = x * 22 + 34;
	if (x > 0) r += f4_0(x - 1) % 116;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_20(long x)
{
	long r = x * 23 + 34;
	if (x > 0) r += f4_0(x - 1) % 117;
	return r % 1000000007;
}
long f3_21(long x)
{
	long r = x * 24 + 34;
	if (x > 0) r += f4_0(x - 1) % 118;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_22(long x)
{
	long r = x * 25 + 34;
	if (x > 0) r += f4_0(x - 1) % 119;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_23(long x)
{
	long r = x * 26 + 34;
	if (x > 0) r += f4_0(x - 1) % 120;
	r ^= r >> 3;
	return r % 1000000007;
}
long f3_24(long x)
{
	long r = x * 27 + 34;
	if (x > 0) r += f4_0(x - 1) % 121;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_25(long x)
{
	long r = x * 28 + 34;
	if (x > 0) r += f4_0(x - 1) % 122;
	return r % 1000000007;
}
long f3_26(long x)
{
	long r = x * 29 + 34;
	if (x > 0) r += f4_0(x - 1) % 123;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_27(long x)
{
	long r = x * 30 + 34;
	if (x > 0) r += f4_0(x - 1) % 124;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_28(long x)
{
	long r = x * 31 + 34;
	if (x > 0) r += f4_0(x - 1) % 125;
	r ^= r >> 1;
	return r % 1000000007;
}
long f3_29(long x)
{
	long r = x * 32 + 34;
	if (x > 0) r += f4_0(x - 1) % 126;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_30(long x)
{
	long r = x * 33 + 34;
	if (x > 0) r += f4_0(x - 1) % 127;
	return r % 1000000007;
}
long f3_31(long x)
{
	long r = x * 34 + 34;
	if (x > 0) r += f4_0(x - 1) % 128;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_32(long x)
{
	long r = x * 35 + 34;
	if (x > 0) r += f4_0(x - 1) % 129;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_33(long x)
{
	long r = x * 36 + 34;
	if (x > 0) r += f4_0(x - 1) % 130;
	r ^= r >> 6;
	return r % 1000000007;
}
long f3_34(long x)
{
	long r = x * 37 + 34;
	if (x > 0) r += f4_0(x - 1) % 131;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_35(long x)
{
	long r = x * 38 + 34;
	if (x > 0) r += f4_0(x - 1) % 132;
	return r % 1000000007;
}
long f3_36(long x)
{
	long r = x * 39 + 34;
	if (x > 0) r += f4_0(x - 1) % 133;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_37(long x)
{
	long r = x * 40 + 34;
	if (x > 0) r += f4_0(x - 1) % 134;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_38(long x)
{
	long r = x * 41 + 34;
	if (x > 0) r += f4_0(x - 1) % 135;
	r ^= r >> 4;
	return r % 1000000007;
}
long f3_39(long x)
{
	long r = x * 42 + 34;
	if (x > 0) r += f4_0(x - 1) % 136;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_40(long x)
{
	long r = x * 43 + 34;
	if (x > 0) r += f4_0(x - 1) % 137;
	return r % 1000000007;
}
long f3_41(long x)
{
	long r = x * 44 + 34;
	if (x > 0) r += f4_0(x - 1) % 138;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_42(long x)
{
	long r = x * 45 + 34;
	if (x > 0) r += f4_0(x - 1) % 139;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_43(long x)
{
	long r = x * 46 + 34;
	if (x > 0) r += f4_0(x - 1) % 140;
	r ^= r >> 2;
	return r % 1000000007;
}
long f3_44(long x)
{
	long r = x * 47 + 34;
	if (x > 0) r += f4_0(x - 1) % 141;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_45(long x)
{
	long r = x * 48 + 34;
	if (x > 0) r += f4_0(x - 1) % 142;
	return r % 1000000007;
}
long f3_46(long x)
{
	long r = x * 49 + 34;
	if (x > 0) r += f4_0(x - 1) % 143;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_47(long x)
{
	long r = x * 50 + 34;
	if (x > 0) r += f4_0(x - 1) % 144;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_48(long x)
{
	long r = x * 51 + 34;
	if (x > 0) r += f4_0(x - 1) % 145;
	r ^= r >> 7;
	return r % 1000000007;
}
long f3_49(long x)
{
	long r = x * 52 + 34;
	if (x > 0) r += f4_0(x - 1) % 146;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_50(long x)
{
	long r = x * 53 + 34;
	if (x > 0) r += f4_0(x - 1) % 147;
	return r % 1000000007;
}
long f3_51(long x)
{
	long r = x * 54 + 34;
	if (x > 0) r += f4_0(x - 1) % 148;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_52(long x)
{
	long r = x * 55 + 34;
	if (x > 0) r += f4_0(x - 1) % 149;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_53(long x)
{
	long r = x * 56 + 34;
	if (x > 0) r += f4_0(x - 1) % 150;
	r ^= r >> 5;
	return r % 1000000007;
}
long f3_54(long x)
{
	long r = x * 57 + 34;
	if (x > 0) r += f4_0(x - 1) % 151;
	r = r % 1000003;
	return r % 1000000007;
}
long f3_55(long x)
{
	long r = x * 58 + 34;
	if (x > 0) r += f4_0(x - 1) % 152;
	return r % 1000000007;
}
long f3_56(long x)
{
	long r = x * 59 + 34;
	if (x > 0) r += f4_0(x - 1) % 153;
	for (int j = 0; j < 2; j++) r = r * 31 + j;
	return r % 1000000007;
}
long f3_57(long x)
{
	long r = x * 60 + 34;
	if (x > 0) r += f4_0(x - 1) % 154;
	if (r & 1) r = -r;
	return r % 1000000007;
}
long f3_58(long x)
{
	long r = x * 61 + 34;
	if (x > 0) r += f4_0(x - 1) % 155;
	r ^= r >> 3;
	return r % 1000000007;
}
long f3_59(long x)
{
	long r = x * 62 + 34;
	if (x > 0) r += f4_0(x - 1) % 156;
	r = r % 1000003;
	return r % 1000000007;
}
long (*const table3[])(long) = { f3_0, f3_1, f3_2, f3_3, f3_4, f3_5, f3_6, f3_7, f3_8, f3_9, f3_10, f3_11, f3_12, f3_13, f3_14, f3_15, f3_16, f3_17, f3_18, f3_19, f3_20, f3_21, f3_22, f3_23, f3_24, f3_25, f3_26, f3_27, f3_28, f3_29, f3_30, f3_31, f3_32, f3_33, f3_34, f3_35, f3_36, f3_37, f3_38, f3_39, f3_40, f3_41, f3_42, f3_43, f3_44, f3_45, f3_46, f3_47, f3_48, f3_49, f3_50, f3_51, f3_52, f3_53, f3_54, f3_55, f3_56, f3_57, f3_58, f3_59 };
