<?xml version="1.0" encoding="UTF-8"?>
<!-- Text structure (TEI ch. 4): the document page, divisions, openers and closers, front matter. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:f="urn:teiedition:function"
  xmlns:p="urn:teiedition:private"
  xmlns:s="urn:teiedition:site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all" expand-text="yes">

  <xsl:mode name="page" on-no-match="shallow-skip"/>

  <!-- One document's page: metadata, reading text, notes, citation, neighbours. -->
  <!-- A teiCorpus file is one page: its header, then the text of every TEI it holds. -->
  <xsl:template match="TEI | teiCorpus" mode="page">
    <xsl:variable name="id" select="string((@xml:id, replace(tokenize(base-uri(), '/')[last()], '\.xml$', ''))[1])"/>
    <xsl:variable name="record" select="f:this-document($id)"/>
    <xsl:variable name="title" select="($record/@title, normalize-space(teiHeader/fileDesc/titleStmt/title[1]))[1]"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="string-join(($record/@n[. != ''], $title), ' ')"/>
      <xsl:with-param name="file" select="($record ! f:document-href(.), $id || '.html')[1]"/>
      <xsl:with-param name="lang" select="string((@xml:lang, text/@xml:lang, $f:edition/*/@xml:lang, 'en')[1])"/>
      <xsl:with-param name="head">
        <xsl:apply-templates select="teiHeader" mode="head-meta">
          <xsl:with-param name="record" select="$record" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:with-param>
      <xsl:with-param name="main-class" select="'document-page'"/>
      <xsl:with-param name="body">
        <article id="{$id}" class="document" data-pagefind-body="">
          <header class="document-header">
            <p class="document-number" data-pagefind-ignore=""><xsl:if test="$record/@n != ''">No. {$record/@n} · </xsl:if>{f:type-label($record/@type)}</p>
            <h1 data-pagefind-meta="title">{$title}</h1>
            <xsl:apply-templates select="teiHeader" mode="metadata"/>
          </header>
          <section class="reading-text" aria-label="Text">
            <xsl:apply-templates select=".//text[parent::TEI]"/>
          </section>
          <xsl:for-each select=".//text[parent::TEI]"><xsl:call-template name="f:endnotes"><xsl:with-param name="scope" select="."/></xsl:call-template></xsl:for-each>
        </article>
        <xsl:call-template name="f:cite-block"><xsl:with-param name="record" select="$record"/></xsl:call-template>
        <xsl:call-template name="p:pager"><xsl:with-param name="record" select="$record"/></xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="p:pager">
    <xsl:param name="record" as="element(s:document)?"/>
    <xsl:variable name="previous" select="$record ! f:indexed(.)/preceding-sibling::s:document[1]"/>
    <xsl:variable name="next" select="$record ! f:indexed(.)/following-sibling::s:document[1]"/>
    <nav class="pager" aria-label="Previous and next document">
      <xsl:for-each select="$previous">
        <a class="previous" rel="prev" href="{f:document-href(.)}"><span class="pager-label">Previous</span> {f:document-label(.)}</a>
      </xsl:for-each>
      <xsl:for-each select="$next">
        <a class="next" rel="next" href="{f:document-href(.)}"><span class="pager-label">Next</span> {f:document-label(.)}</a>
      </xsl:for-each>
    </nav>
  </xsl:template>

  <xsl:template match="text | body | front | back | group">
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template match="div">
    <section class="{string-join(('div', @type), ' ')}">
      <xsl:call-template name="f:id-and-lang"/>
      <xsl:apply-templates/>
    </section>
  </xsl:template>

  <!-- The document itself: its printed heading is a subheading under the page's title. -->
  <xsl:template match="div[@type = 'document']">
    <div class="div document-text">
      <xsl:call-template name="f:id-and-lang"/>
      <xsl:apply-templates/>
    </div>
  </xsl:template>

  <xsl:template match="div[@type = 'document']/head" priority="3">
    <h2 class="tei-head source-heading"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></h2>
  </xsl:template>

  <xsl:template match="opener | closer | postscript">
    <div class="{local-name()}"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="dateline | salute | signed | byline | docAuthor | docDate | address">
    <p class="{local-name()}"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="addrLine"><span class="addrLine"><xsl:apply-templates/></span><br/></xsl:template>

  <xsl:template match="titlePage">
    <div class="title-page"><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="docTitle | titlePart | docImprint | docEdition">
    <p class="{local-name()}"><xsl:apply-templates/></p>
  </xsl:template>

  <xsl:template match="argument | epigraph">
    <div class="{local-name()}"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></div>
  </xsl:template>

  <xsl:template match="trailer">
    <p class="trailer"><xsl:call-template name="f:id-and-lang"/><xsl:apply-templates/></p>
  </xsl:template>
</xsl:stylesheet>
